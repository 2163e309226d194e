using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>SigV4-signed requests with any body and headers, through botocore (for what the SDKs refuse to send).</summary>
internal static class S3SignedRequests
{
    /// <summary>Sends the request as root; answers the status and the body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(TestServer server, string method, string pathAndQuery, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var script = $$"""
            import sys, json
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            import urllib.request, urllib.error
            url = '{{server.Endpoint}}' + sys.argv[1]
            request = AWSRequest(method=sys.argv[2], url=url, data=sys.argv[3].encode(), headers=json.loads(sys.argv[4]))
            S3SigV4Auth(Credentials('{{TestServer.RootAccessKeyId}}', '{{TestServer.RootSecretAccessKey}}'), 's3', 'eu-west-1').add_auth(request)
            prepared = request.prepare()
            req = urllib.request.Request(prepared.url, data=prepared.body, method=prepared.method, headers=dict(prepared.headers))
            try:
                with urllib.request.urlopen(req) as response:
                    print(response.status); print(response.read().decode())
            except urllib.error.HTTPError as error:
                print(error.code); print(error.read().decode())
            """;
        var headerJson = System.Text.Json.JsonSerializer.Serialize(headers ?? new Dictionary<string, string>());
        var result = await ProcessRunner.RunAsync("python3", ["-c", script, pathAndQuery, method, body, headerJson], new Dictionary<string, string?>(), TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n', 2);
        return (int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), lines.Length > 1 ? lines[1] : "");
    }
}
