using System.CommandLine;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Assets;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// cloudkeep presign: a pre-signed GET URL, as `aws s3 presign` makes, optionally on the assets host. The URL is
/// signed for the bucket's own host (the base the assets router sends it to, so S3 checks the signature as
/// signed) and then rebased onto the assets host, as the Digital Marketplace apps did for private documents.
/// </summary>
internal static class PresignCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("s3-uri") { Description = "s3://bucket/key of the object." };
        var expiresIn = new Option<int>("--expires-in") { Description = "Seconds the URL works (1 to 604800). Default: 3600.", DefaultValueFactory = _ => 3600 };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "S3 endpoint (AWS_ENDPOINT_URL); path-style URLs under it." };
        var region = new Option<string?>("--region") { Description = "Signing region (AWS_REGION / AWS_DEFAULT_REGION). Default: us-east-1." };
        var profile = new Option<string?>("--profile") { Description = "AWS profile for the credentials. Default: the SDK's chain (environment, AWS_PROFILE, default)." };
        var viaAssets = new Option<string?>("--via-assets") { Description = "The assets host (https://assets.example): print the URL on it, for the assets router to serve." };
        var assetsConfig = new Option<string?>("--assets-config") { Description = "The router's mapping file: the URL is signed for the base it names for the bucket, and checked to route there." };
        var command = new Command("presign", "Print a pre-signed GET URL for an S3 object, optionally on the assets host.")
        {
            target, expiresIn, endpoint, region, profile, viaAssets, assetsConfig,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var credentials = string.IsNullOrEmpty(parse.GetValue(profile))
                    ? DefaultAWSCredentialsIdentityResolver.GetCredentials()
                    : new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetAWSCredentials(parse.GetValue(profile), out var found)
                        ? found
                        : throw new ArgumentException($"AWS profile '{parse.GetValue(profile)}' not found");
                var url = await Presign.UrlAsync(
                    credentials,
                    parse.GetValue(target)!,
                    parse.GetValue(expiresIn),
                    parse.GetValue(endpoint) ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL"),
                    parse.GetValue(region) ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1",
                    parse.GetValue(viaAssets),
                    parse.GetValue(assetsConfig) is { } file ? AssetsConfig.Load(file) : null,
                    DateTime.UtcNow);
                Console.Out.WriteLine(url);
                return 0;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep presign: {e.Message}");
                return 2;
            }
            catch (AmazonClientException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep presign: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>The signing behind `cloudkeep presign`, callable from tests with a fixed clock.</summary>
internal static class Presign
{
    public static async Task<string> UrlAsync(AWSCredentials credentials, string s3Uri, int expiresIn, string? endpoint, string region, string? viaAssets, AssetsOptions? assets, DateTime now)
    {
        if (!s3Uri.StartsWith("s3://", StringComparison.Ordinal) || s3Uri.IndexOf('/', 5) is var slash && (slash <= 5 || slash == s3Uri.Length - 1))
        {
            throw new ArgumentException($"'{s3Uri}' is not s3://bucket/key");
        }

        if (expiresIn is < 1 or > 604800)
        {
            throw new ArgumentException("--expires-in must be 1 to 604800 seconds (7 days), as S3 allows");
        }

        var bucket = s3Uri[5..slash];
        var key = s3Uri[(slash + 1)..];
        AssetsBase? signedFor = null;
        if (viaAssets is not null)
        {
            if (!Uri.TryCreate(viaAssets, UriKind.Absolute, out var assetsUrl) || assetsUrl.Scheme is not ("http" or "https") || assetsUrl.AbsolutePath != "/" || assetsUrl.Query.Length > 0)
            {
                throw new ArgumentException($"--via-assets must be the assets host's origin (https://assets.example), not '{viaAssets}'");
            }

            signedFor = assets is not null
                ? assets.AllBases.FirstOrDefault(b => b.Bucket == bucket) ?? throw new ArgumentException($"the assets config names no base for bucket {bucket}")
                : endpoint is not null
                    ? new AssetsBase(bucket, new Uri(endpoint.TrimEnd('/') + "/" + bucket))
                    : throw new ArgumentException("--via-assets needs --assets-config (or --endpoint-url, for path-style bases ENDPOINT/BUCKET)");
        }

        var config = new AmazonS3Config { AuthenticationRegion = region, MaxErrorRetry = 0 };
        if (signedFor is not null)
        {
            // A virtual-hosted base BUCKET.s3.HOST is the SDK's endpoint s3.HOST with virtual-hosted addressing.
            var url = signedFor.Url;
            config.ServiceURL = signedFor.PathPrefix.Length > 0
                ? url.GetLeftPart(UriPartial.Authority)
                : $"{url.Scheme}://{url.Host[(bucket.Length + 1)..]}{(url.IsDefaultPort ? "" : ":" + url.Port)}";
            config.ForcePathStyle = signedFor.PathPrefix.Length > 0;
        }
        else if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        using var s3 = new AmazonS3Client(credentials, config);
        var signed = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = now.AddSeconds(expiresIn),
            Protocol = (signedFor?.Url.Scheme ?? (endpoint is null ? "https" : new Uri(endpoint).Scheme)) == "http" ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS,
        });
        if (signedFor is null)
        {
            return signed;
        }

        var prefix = signedFor.Url.GetLeftPart(UriPartial.Authority) + signedFor.PathPrefix;
        if (!signed.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"the SDK signed {new Uri(signed).GetLeftPart(UriPartial.Path)}, not a URL under {prefix}");
        }

        var publicPathAndQuery = signed[prefix.Length..];
        if (assets is not null)
        {
            var path = publicPathAndQuery.Split('?', 2)[0];
            if (!AssetsMap.TryResolve(assets, path, out var routed, out var refusal))
            {
                throw new ArgumentException($"the assets router refuses {path} ({refusal})");
            }

            if (routed.Url != signedFor.Url)
            {
                throw new ArgumentException($"the assets router sends {path} to {routed.Name} ({routed.Url}), not to bucket {bucket}: the key's second segment must name the bucket's entry");
            }
        }

        return viaAssets!.TrimEnd('/') + publicPathAndQuery;
    }
}
