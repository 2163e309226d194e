using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloudkeep.Testing;

/// <summary>
/// Debian's nginx as the load balancer people put in front of several Cloudkeep nodes: one loopback
/// port, round robin over the nodes, the client's Host header passed through (SigV4 signs it), bodies
/// streamed both ways, and a node that refuses connections skipped. Runs in the foreground under
/// a temporary prefix; disposing stops it. The README's test command installs the package.
/// </summary>
public sealed class NginxBalancer : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _prefix;

    private NginxBalancer(Process process, TempDirectory prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Endpoint = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Endpoint { get; }

    public static async Task<NginxBalancer> StartAsync(IEnumerable<int> nodePorts)
    {
        ArgumentNullException.ThrowIfNull(nodePorts);
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx was not found: install Debian's nginx package (the README's test command does).");
        var prefix = new TempDirectory("cloudkeep-nginx-");
        var port = FreePort();
        var config = Path.Combine(prefix.Path, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix.Path, port, nodePorts));
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", prefix.Path, "-c", config, "-e", Path.Combine(prefix.Path, "error.log"), "-g", "daemon off;" })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var balancer = new NginxBalancer(process, prefix, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(Path.Combine(prefix.Path, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix.Path, "error.log")) : "";
                balancer.Dispose();
                throw new InvalidOperationException("nginx did not come up: " + log);
            }

            await Task.Delay(50);
        }

        return balancer;
    }

    /// <summary>What nginx logged (errors and upstream failures), for a failing test's message.</summary>
    public string ErrorLog()
    {
        var path = Path.Combine(_prefix.Path, "error.log");
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Config(string prefix, int port, IEnumerable<int> nodePorts)
    {
        var text = new StringBuilder();
        if (Environment.UserName == "root")
        {
            // Workers run as nobody otherwise, and could not write the temporary files under the prefix.
            text.AppendLine("user root;");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream cloudkeep {
            """);
        foreach (var node in nodePorts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{node} max_fails=1 fail_timeout=2s;");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $$"""
                    keepalive 32;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 0;
                    proxy_request_buffering off;
                    proxy_buffering off;
                    location / {
                        proxy_pass http://cloudkeep;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_connect_timeout 1s;
                        proxy_read_timeout 60s;
                        proxy_next_upstream error timeout http_502;
                    }
                }
            }
            """);
        return text.ToString();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _prefix.Dispose();
    }
}
