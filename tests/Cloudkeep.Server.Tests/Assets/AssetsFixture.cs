using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Assets;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Assets;

/// <summary>
/// A server with the assets router in front of five category buckets and a G-Cloud 7 drafts bucket, as the
/// Digital Marketplace's router was configured: documents virtual-hosted, the rest path-style (both forms of
/// base are exercised). Each bucket holds "fw/CATEGORY/which.txt" saying which bucket it is in.
/// </summary>
public sealed class AssetsFixture : IAsyncLifetime
{
    public static readonly string[] Categories = ["documents", "agreements", "communications", "submissions", "reports"];

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    public ShiftableClock Clock { get; } = new();

    public TestServer Server { get; private set; } = null!;

    public TempDirectory Directory { get; } = new();

    public AssetsOptions Options { get; private set; } = null!;

    public string Assets => Server.AssetsEndpoint!;

    public string Bucket(string category) => $"h-{category}-{_suffix}";

    public string DraftsBucket => $"h-g7-drafts-{_suffix}";

    public const string NotFoundPage = "<!DOCTYPE html><title>Page not found - Digital Marketplace</title>\n";

    public string ConfigYaml(string? extra = null) =>
        $"""
        buckets:
          documents: http://{Bucket("documents")}.s3.localhost:4566
          agreements: http://127.0.0.1:4566/{Bucket("agreements")}
          communications: http://127.0.0.1:4566/{Bucket("communications")}
          submissions: http://127.0.0.1:4566/{Bucket("submissions")}
          reports: http://127.0.0.1:4566/{Bucket("reports")}
        default: documents
        prefixes:
          /g-cloud-7: http://127.0.0.1:4566/{DraftsBucket}
        not-found-page: 404.html
        favicon: favicon.ico
        {extra}
        """;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Directory.Path, "404.html"), NotFoundPage);
        await File.WriteAllBytesAsync(Path.Combine(Directory.Path, "favicon.ico"), [0, 0, 1, 0, 1, 0]);
        Options = AssetsConfig.Parse(ConfigYaml(), Directory.Path, listenOverride: "127.0.0.1:0");
        Server = await TestServer.StartAsync(time: Clock, assets: Options);
        using var s3 = S3Clients.Root(Server);
        foreach (var bucket in Categories.Select(Bucket).Append(DraftsBucket))
        {
            await s3.PutBucketAsync(bucket);
            await s3.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
            {
                BucketName = bucket,
                OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerPreferred }] },
            });
            await s3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket });
        }

        foreach (var category in Categories)
        {
            await PutAsync(Bucket(category), $"fw/{category}/which.txt", category, publicRead: true);
        }

        await PutAsync(Bucket("documents"), "fw/anything-else/which.txt", "documents (default)", publicRead: true);
        await PutAsync(DraftsBucket, "g-cloud-7/documents/which.txt", "g7 drafts", publicRead: true);
        await PutAsync(Bucket("documents"), "g-cloud-7/documents/which.txt", "documents: the prefix rule was not applied", publicRead: true);
        await PutAsync(Bucket("documents"), "g-cloud-7x/documents/which.txt", "documents for g-cloud-7x", publicRead: true);
    }

    public async Task PutAsync(string bucket, string key, string content, bool publicRead, string? contentType = "text/plain")
    {
        using var s3 = S3Clients.Root(Server);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ContentBody = content,
            ContentType = contentType,
            CannedACL = publicRead ? S3CannedACL.PublicRead : S3CannedACL.BucketOwnerFullControl,
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Dispose();
    }

    public static HttpClient Http() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, AutomaticDecompression = System.Net.DecompressionMethods.None });

    /// <summary>
    /// Sends the request line and headers exactly as written (HttpClient would normalise dot segments and
    /// refuses an absolute URI with a different host), and returns the status code and body.
    /// </summary>
    public static async Task<(int Status, string Head, string Body)> RawAsync(string endpoint, string requestLine, params string[] headers)
    {
        var uri = new Uri(endpoint);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var stream = tcp.GetStream();
        var hasHost = headers.Any(h => h.StartsWith("Host:", StringComparison.OrdinalIgnoreCase));
        var text = requestLine + "\r\n" + (hasHost ? "" : $"Host: {uri.Authority}\r\n") + string.Concat(headers.Select(h => h + "\r\n")) + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? response : response[..split];
        var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : response[(split + 4)..]);
    }
}
