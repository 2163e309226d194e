using System.Text.Json;
using Amazon.SecurityToken.Model;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public async Task FirstStart_WritesOwnerOnlyCredentialsAndMasterKey()
    {
        await using var server = await TestServer.StartAsync();
        var credentials = Path.Combine(server.DataDirectory, "root-credentials");
        var masterKey = Path.Combine(server.DataDirectory, "master.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(masterKey));
        var text = await File.ReadAllTextAsync(credentials);
        Assert.Contains("[cloudkeep-root]", text, StringComparison.Ordinal);
        Assert.Contains($"aws_access_key_id = {TestServer.RootAccessKeyId}", text, StringComparison.Ordinal);
        Assert.Contains($"aws_secret_access_key = {TestServer.RootSecretAccessKey}", text, StringComparison.Ordinal);
        Assert.True(server.Server.Bootstrap.Created);
    }

    [Fact]
    public async Task FirstStart_SecretIsSealedInTheDatabase()
    {
        await using var server = await TestServer.StartAsync();
        var database = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "cloudkeep.db"));
        var wal = Path.Combine(server.DataDirectory, "cloudkeep.db-wal");
        var all = database.Concat(File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : []).ToArray();
        Assert.DoesNotContain(TestServer.RootSecretAccessKey, System.Text.Encoding.UTF8.GetString(all), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_ReusesAccountKeyAndMasterKey()
    {
        using var data = new TempDirectory();
        string accountId;
        byte[] masterKey;
        await using (var first = await TestServer.StartAsync(dataDirectory: data.Path, accountId: null))
        {
            accountId = first.AccountId;
            masterKey = await File.ReadAllBytesAsync(Path.Combine(data.Path, "master.key"));
        }

        File.Delete(Path.Combine(data.Path, "root-credentials"));
        await using var second = await TestServer.StartAsync(dataDirectory: data.Path, accountId: null);
        Assert.Equal(accountId, second.AccountId);
        Assert.False(second.Server.Bootstrap.Created);
        Assert.False(File.Exists(Path.Combine(data.Path, "root-credentials")));
        Assert.Equal(masterKey, await File.ReadAllBytesAsync(Path.Combine(data.Path, "master.key")));
        using var sts = StsClients.Sts(second);
        Assert.Equal($"arn:aws:iam::{accountId}:root", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }

    [Fact]
    public async Task Restart_WithADifferentAccountId_IsRefused()
    {
        using var data = new TempDirectory();
        await using (await TestServer.StartAsync(dataDirectory: data.Path, accountId: "111122223333"))
        {
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(dataDirectory: data.Path, accountId: "444455556666"));
        Assert.Contains("111122223333", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("abcdefghijkl")]
    public async Task Start_InvalidAccountId_IsRefused(string accountId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TestServer.StartAsync(accountId: accountId));
    }

    [Fact]
    public async Task Start_OnPostgres_ServesGetCallerIdentity()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(database: database);
        Assert.Equal("postgres", server.Server.Engine);
        using var sts = StsClients.Sts(server);
        Assert.Equal($"arn:aws:iam::{server.AccountId}:root", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }

    [Fact]
    public async Task TwoNodesOnOnePostgres_ShareTheEstate()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var first = await TestServer.StartAsync(database: database, masterKey: key);
        await using var second = await TestServer.StartAsync(database: database, accountId: null, masterKey: key);
        Assert.Equal(first.AccountId, second.AccountId);
        Assert.False(second.Server.Bootstrap.Created);
        using var sts = StsClients.Sts(second);
        Assert.Equal(first.AccountId, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task SecondNodeWithAnotherMasterKey_RefusesToStart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var first = await TestServer.StartAsync(database: database);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(database: database, accountId: null));
        Assert.Contains("same master key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AnswersOkWithTheAccount()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.Endpoint + "/_cloudkeep/health")));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(server.AccountId, json.RootElement.GetProperty("managementAccountId").GetString());
        Assert.Equal("sqlite", json.RootElement.GetProperty("metadataStore").GetString());
    }

    [Fact]
    public async Task Metrics_CountRequestsInPrometheusFormat()
    {
        await using var server = await TestServer.StartAsync();
        using (var sts = StsClients.Sts(server))
        {
            await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        }

        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(server.Endpoint + "/_cloudkeep/metrics"));
        Assert.Contains("# TYPE cloudkeep_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_requests_total{service=\"sts\",operation=\"GetCallerIdentity\",status=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("cloudkeep_request_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentMasterKey_IsUsedInsteadOfAFile()
    {
        using var data = new TempDirectory();
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var server = await CloudkeepServer.StartAsync(new CloudkeepOptions
        {
            DataDirectory = data.Path,
            Listen = "127.0.0.1:0",
            MasterKey = key,
            RequestLogging = false,
        }, logging => { });
        Assert.False(File.Exists(Path.Combine(data.Path, "master.key")));
    }
}
