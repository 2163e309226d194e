using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cloudkeep.Backup.Tests;

/// <summary>
/// A dump far larger than what the process may hold goes from pg_dump to the bucket and back through the
/// verification with flat memory: no stage (gzip, OpenPGP, the POST body, the server's form reader) buffers it.
/// pg_dump is a stand-in script here, writing 200 MB of incompressible SQL comment text and pg_dump's ending.
/// </summary>
[Collection(BackupEstateTests.Name)]
public sealed class BackupMemoryTests(BackupEstate estate, ITestOutputHelper log)
{
    private const long DumpBytes = 200L * 1000 * 1000;

    [Fact]
    public async Task Run_TwoHundredMegabyteDump_StreamsWithFlatMemory()
    {
        var bin = Path.Combine(estate.Work, "fake-pg-bin");
        Directory.CreateDirectory(bin);
        var script = Path.Combine(bin, "pg_dump");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nhead -c {DumpBytes * 3 / 4} /dev/urandom | base64 -w 76 | sed 's/^/-- /'\nprintf -- '--\\n-- PostgreSQL database dump complete\\n--\\n\\n'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var stop = new CancellationTokenSource();
        Task sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        var (runner, output, error) = estate.Runner();
        var watch = Stopwatch.StartNew();

        var exit = await runner.RunAsync(new BackupRunArguments("postgres://unused/unused", BackupEstate.Bucket, estate.PublicKeyFile, "large-{yyyyMMddHHmmss}.sql.gz.gpg")
        {
            PrivateKeyFile = estate.PrivateKeyFile,
            PostgresBin = bin,
        }, CancellationToken.None);

        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        Assert.True(exit == 0, output.ToString() + error);
        Assert.Contains("verified", output.ToString(), StringComparison.Ordinal);
        var growth = peak - baseline;
        log.WriteLine($"{DumpBytes / 1e6:F0} MB of SQL: dump+upload+verify {watch.Elapsed.TotalSeconds:F1} s, managed heap peak {growth / 1e6:F1} MB over the baseline; {output}");
        Assert.True(growth < 96L * 1000 * 1000, $"the managed heap grew by {growth / 1e6:F1} MB for a {DumpBytes / 1e6:F0} MB dump");

        // And back: downloaded to the spool file, checked in full, then piped through the real psql.
        var key = output.ToString().Split(' ')[1].Split('/', 4)[3];
        var target = await Cloudkeep.Testing.PostgresServer.CreateDatabaseAsync();
        GC.Collect();
        baseline = GC.GetTotalMemory(forceFullCollection: true);
        peak = 0;
        using var stopRestore = new CancellationTokenSource();
        sampler = Task.Run(async () =>
        {
            while (!stopRestore.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        (runner, output, error) = estate.Runner();
        watch.Restart();
        exit = await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, key, target, estate.PrivateKeyFile), CancellationToken.None);
        watch.Stop();
        await stopRestore.CancelAsync();
        await sampler;
        Assert.True(exit == 0, output.ToString() + error);
        growth = peak - baseline;
        log.WriteLine($"restore (download, full check, decrypt | gunzip | psql): {watch.Elapsed.TotalSeconds:F1} s, managed heap peak {growth / 1e6:F1} MB over the baseline");
        Assert.True(growth < 96L * 1000 * 1000, $"the managed heap grew by {growth / 1e6:F1} MB restoring a {DumpBytes / 1e6:F0} MB dump");
    }

    [Fact]
    public async Task Run_Failing_PostsTheAlertToTheWebhook()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/alerts/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = 204;
            context.Response.Close();
            return body;
        });
        using var http = new HttpClient();
        var (runner, _, error) = estate.Runner(alerts: new WebhookAlertSink(http, new Uri($"http://127.0.0.1:{port}/alerts/backup")));

        var exit = await runner.RunAsync(new BackupRunArguments("postgres://postgres@127.0.0.1:1/none", BackupEstate.Bucket, estate.PublicKeyFile, "never-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None);

        Assert.Equal(1, exit);
        using var alert = JsonDocument.Parse(await received.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("cloudkeep-backup", alert.RootElement.GetProperty("source").GetString());
        Assert.Contains("pg_dump failed", alert.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("could not be sent", error.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
