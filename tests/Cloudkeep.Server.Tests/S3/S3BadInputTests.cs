using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Bad S3 input gets S3's error and changes nothing: malformed or hostile XML bodies (signed with
/// botocore, since SDKs cannot send them), and a PUT cut off by killing the server outright, after
/// which no partial object is visible and no temporary file is left.
/// </summary>
public sealed partial class S3BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Sends a SigV4-signed request with an arbitrary body through botocore.</summary>
    private Task<(int Status, string Body)> SignedAsync(string method, string pathAndQuery, string body) =>
        S3SignedRequests.SendAsync(fixture.Server, method, pathAndQuery, body);

    public static TheoryData<string, string, string, string> MalformedBodies() => new()
    {
        { "PUT", "?tagging", "<Tagging><TagSet><Tag><Key>a</Key>", "MalformedXML" },
        { "PUT", "?tagging", "<NotTagging/>", "MalformedXML" },
        { "POST", "?delete", "<Delete><Object><Key>a</Key></Object>", "MalformedXML" },
        { "POST", "?delete", "<Delete></Delete>", "MalformedXML" },
        { "PUT", "?tagging", "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Tagging><TagSet><Tag><Key>&x;</Key><Value>v</Value></Tag></TagSet></Tagging>", "MalformedXML" },
        { "PUT", "?cors", "<CORSConfiguration><CORSRule><AllowedMethod>BREW</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>", "InvalidRequest" },
        { "PUT", "?ownershipControls", "<OwnershipControls><Rule><ObjectOwnership>Everyone</ObjectOwnership></Rule></OwnershipControls>", "MalformedXML" },

        // Elements the schema requires, missing (checked from the model by the decode step).
        { "PUT", "?tagging", "<Tagging></Tagging>", "MalformedXML" },
        { "PUT", "?tagging", "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>", "MalformedXML" },
        { "PUT", "?tagging", "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>", "MalformedXML" },
        { "POST", "?delete", "<Delete><Object><VersionId>1</VersionId></Object></Delete>", "MalformedXML" },
        { "PUT", "?ownershipControls", "<OwnershipControls></OwnershipControls>", "MalformedXML" },
        { "PUT", "?ownershipControls", "<OwnershipControls><Rule></Rule></OwnershipControls>", "MalformedXML" },
        { "PUT", "?cors", "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>", "MalformedXML" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task XmlBody_MalformedOrHostile_IsRefusedAndChangesNothing(string method, string query, string body, string code)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("xml");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var (status, text) = await SignedAsync(method, "/" + bucket + query, body);
        Assert.Equal(400, status);
        Assert.Contains($"<Code>{code}</Code>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.Equal("NoSuchTagSet", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucket }))).ErrorCode);
        Assert.Equal(BucketOwnership(), (await s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = bucket })).OwnershipControls.Rules.Single().ObjectOwnership.Value);
    }

    private static string BucketOwnership() => "BucketOwnerEnforced";

    [Fact]
    public async Task PutObject_ServerKilledMidUpload_LeavesNoObjectAndNoTemporaryFile()
    {
        using var data = new TempDirectory();
        var (server, endpoint) = await StartServerAsync(data.Path);
        using (server)
        {
            using var s3 = Client(endpoint);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "crash-test" });
            var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest { BucketName = "crash-test", Key = "half.bin", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(10), Protocol = Amazon.S3.Protocol.HTTP });

            // Stream a body that announces 100 MB but stops after 8 MB, then kill -9 the server.
            using var http = new HttpClient();
            using var abandon = new CancellationTokenSource();
            var sent = new TaskCompletionSource();
            var content = new SlowContent(100_000_000, 8_000_000, sent);
            var upload = http.PutAsync(new Uri(url), content, abandon.Token);
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(500);
            Assert.True(Directory.GetFiles(Path.Combine(data.Path, "blobs", "tmp")).Length > 0, "the upload should be in a temporary file while it streams");
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
        }

        var (restarted, restartedEndpoint) = await StartServerAsync(data.Path);
        using (restarted)
        {
            try
            {
                using var s3 = Client(restartedEndpoint);
                var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync("crash-test", "half.bin"));
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
                Assert.Empty(Directory.GetFiles(Path.Combine(data.Path, "blobs", "tmp")));
                Assert.Empty(Directory.GetFiles(Path.Combine(data.Path, "blobs"), "*", SearchOption.AllDirectories));
            }
            finally
            {
                restarted.Kill(entireProcessTree: true);
                await restarted.WaitForExitAsync();
            }
        }
    }

    private static AmazonS3Client Client(string endpoint) =>
        new(new Amazon.Runtime.BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey),
            new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });

    [GeneratedRegex(@"ready on (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ReadyOn();

    /// <summary>
    /// Starts `cloudkeep serve` on port 0 and returns it with the address it bound, read from its "ready on" line,
    /// so no port is chosen before the server binds it.
    /// </summary>
    private static async Task<(Process Process, string Endpoint)> StartServerAsync(string dataDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cloudkeep.dll"));
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataDirectory);
        info.ArgumentList.Add("--no-request-log");
        info.Environment["CLOUDKEEP_LISTEN"] = "127.0.0.1:0";
        info.Environment["CLOUDKEEP_ROOT_ACCESS_KEY_ID"] = TestServer.RootAccessKeyId;
        info.Environment["CLOUDKEEP_ROOT_SECRET_ACCESS_KEY"] = TestServer.RootSecretAccessKey;
        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ReadyOn().Match(line) is { Success: true } match)
            {
                ready.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The server stopped before it was ready."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await ready.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A body that declares more than it sends, then stalls: a client cut off mid-upload.</summary>
    private sealed class SlowContent(long declared, long sendBeforeStall, TaskCompletionSource sent) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var chunk = new byte[64 * 1024];
            long written = 0;
            while (written < sendBeforeStall)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                written += chunk.Length;
            }

            await stream.FlushAsync(cancellationToken);
            sent.TrySetResult();
            await Task.Delay(TimeSpan.FromMinutes(2), cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = declared;
            return true;
        }
    }
}
