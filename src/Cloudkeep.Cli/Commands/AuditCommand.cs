using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Client;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// cloudkeep audit verify: checks a trail's delivered files against its digests, as `aws cloudtrail
/// validate-logs` does, through the public APIs only (CloudTrail GetTrail and ListPublicKeys, S3).
/// Reports a digest or log file changed, deleted, or added (a log file no digest lists, or a digest
/// that is not in the signed chain). Exit code 0 when all is valid, 1 when something is not, 2 on error.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var trailArn = new Option<string>("--trail-arn") { Description = "The trail's ARN.", Required = true };
        var start = new Option<DateTimeOffset?>("--start-time") { Description = "Check digests ending at or after this time (UTC). Default: every digest." };
        var end = new Option<DateTimeOffset?>("--end-time") { Description = "Check digests ending at or before this time (UTC). Default: now." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "The server's endpoint (AWS_ENDPOINT_URL); path-style S3 under it." };
        var verbose = new Option<bool>("--verbose") { Description = "Print every file checked, not only the invalid ones." };
        var verify = new Command("verify", "Validate a trail's log files against its digest files (changed, deleted or added files).") { trailArn, start, end, endpoint, verbose };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
                var url = parse.GetValue(endpoint) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
                var report = await TrailVerifier.VerifyAsync(
                    credentials, url, parse.GetValue(trailArn)!, parse.GetValue(start) ?? DateTimeOffset.UnixEpoch, parse.GetValue(end) ?? DateTimeOffset.UtcNow, cancellationToken);
                foreach (var line in report.Lines.Where(l => parse.GetValue(verbose) || !l.Valid))
                {
                    Console.Out.WriteLine(line.Text);
                }

                Console.Out.WriteLine($"Results requested for {report.Trail}");
                Console.Out.WriteLine($"{report.Digests} digest files checked, {report.LogFiles} log files checked, {report.Lines.Count(l => !l.Valid)} invalid");
                return report.Lines.Any(l => !l.Valid) ? 1 : 0;
            }
            catch (Exception e) when (e is ArgumentException or CloudTrailException or AmazonClientException or UnreadableAnswerException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"cloudkeep audit verify: {e.Message}");
                return 2;
            }
        });
        return new Command("audit", "CloudTrail audit: log file validation.") { verify };
    }
}

/// <summary>What `cloudkeep audit verify` found: one line per file, valid or not.</summary>
internal sealed record VerifyReport(string Trail, int Digests, int LogFiles, IReadOnlyList<(bool Valid, string Text)> Lines);

/// <summary>The checks behind `cloudkeep audit verify` (CloudTrail User Guide, "Validating CloudTrail log file integrity").</summary>
internal static class TrailVerifier
{
    public static async Task<VerifyReport> VerifyAsync(AWSCredentials credentials, string? endpoint, string trailArn, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var parts = trailArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "cloudtrail" || !parts[5].StartsWith("trail/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{trailArn}' is not a trail ARN");
        }

        var (homeRegion, account) = (parts[3], parts[4]);
        using var http = new HttpClient();
        var cloudTrail = new CloudTrailClient(http, new Uri(endpoint ?? $"https://cloudtrail.{homeRegion}.amazonaws.com"), credentials, TimeProvider.System);
        var trail = (await cloudTrail.CallAsync("GetTrail", homeRegion, new JsonObject { ["Name"] = trailArn }, cancellationToken))["Trail"]!.AsObject();
        var bucket = trail["S3BucketName"]!.GetValue<string>();
        var name = trail["Name"]!.GetValue<string>();
        var prefix = trail["S3KeyPrefix"]?.GetValue<string>() is { Length: > 0 } p ? p + "/" : "";
        var config = new AmazonS3Config { ForcePathStyle = endpoint is not null, MaxErrorRetry = 1 };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = homeRegion;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(homeRegion);
        }

        using var s3 = new AmazonS3Client(credentials, config);
        var lines = new List<(bool, string)>();
        var root = prefix + "AWSLogs/" + account + "/";
        var digestKeys = await ListAsync(s3, bucket, root + "CloudTrail-Digest/", cancellationToken);
        var logKeys = await ListAsync(s3, bucket, root + "CloudTrail/", cancellationToken);
        var keysByRegion = new Dictionary<string, RSA>(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        int digestCount = 0, logCount = 0;
        var marker = "_CloudTrail-Digest_";
        var ours = digestKeys.Where(k => k.Contains($"_{name}_{homeRegion}_", StringComparison.Ordinal) && k.Contains(marker, StringComparison.Ordinal)).ToList();
        foreach (var byRegion in ours.GroupBy(k => k[(root.Length + "CloudTrail-Digest/".Length)..].Split('/')[0]))
        {
            var region = byRegion.Key;
            var publicKeys = await cloudTrail.CallAsync("ListPublicKeys", region, new JsonObject { ["StartTime"] = 0, ["EndTime"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() }, cancellationToken);
            var keys = publicKeys["PublicKeyList"]!.AsArray().OfType<JsonObject>()
                .ToDictionary(k => k["Fingerprint"]!.GetValue<string>(), k => Convert.FromBase64String(k["Value"]!.GetValue<string>()), StringComparer.Ordinal);
            DigestFile? previous = null;
            DateTimeOffset? lastEnd = null;
            foreach (var key in byRegion.OrderBy(k => k, StringComparer.Ordinal))
            {
                var digest = await ReadDigestAsync(s3, bucket, key, cancellationToken);
                if (!DateTimeOffset.TryParse(Text(digest.Json, "digestEndTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var endTime))
                {
                    digestCount++;
                    lines.Add((false, $"Digest file\ts3://{bucket}/{key}\tINVALID: not a digest file (changed)"));
                    continue;
                }

                if (endTime < start || endTime > end)
                {
                    previous = digest;
                    continue;
                }

                digestCount++;
                var problems = new List<string>();
                var fingerprint = digest.Json["digestPublicKeyFingerprint"]?.GetValue<string>() ?? "";
                var previousSignature = digest.Json["previousDigestSignature"]?.GetValue<string>();
                var toSign = $"{Text(digest.Json, "digestEndTime")}\n{Text(digest.Json, "digestS3Bucket")}/{Text(digest.Json, "digestS3Object")}\n{digest.Sha256}\n{previousSignature ?? "null"}";
                if (!keys.TryGetValue(fingerprint, out var der))
                {
                    problems.Add("public key not found for fingerprint " + fingerprint);
                }
                else
                {
                    using var rsa = RSA.Create();
                    rsa.ImportRSAPublicKey(der, out _);
                    if (digest.Signature is null || !rsa.VerifyData(Encoding.UTF8.GetBytes(toSign), Convert.FromHexString(digest.Signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                    {
                        problems.Add("signature verification failed (the digest file was changed, or is not CloudTrail's)");
                    }
                }

                if (digest.Json["digestS3Object"]?.GetValue<string>() != key)
                {
                    problems.Add("the digest names another object (moved or added)");
                }

                if (previous is not null && previousSignature != previous.Signature)
                {
                    problems.Add($"previousDigestSignature does not match {previous.Key} (a digest between them was deleted or changed)");
                }

                if (previousSignature is not null && digest.Json["previousDigestS3Object"]?.GetValue<string>() is { } previousKey && !byRegion.Contains(previousKey))
                {
                    problems.Add($"the previous digest {previousKey} is missing (deleted)");
                }
                else if (previous is not null && previous.Sha256 != digest.Json["previousDigestHashValue"]?.GetValue<string>())
                {
                    problems.Add($"previousDigestHashValue does not match {previous.Key}");
                }

                lines.Add((problems.Count == 0, problems.Count == 0 ? $"Digest file\ts3://{bucket}/{key}\tvalid" : $"Digest file\ts3://{bucket}/{key}\tINVALID: {string.Join("; ", problems)}"));
                foreach (var file in digest.Json["logFiles"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    logCount++;
                    var logKey = Text(file, "s3Object");
                    listed.Add(logKey);
                    var logBucket = Text(file, "s3Bucket");
                    var hash = await ReadLogHashAsync(s3, logBucket, logKey, cancellationToken);
                    var expected = Text(file, "hashValue");
                    lines.Add(hash is null ? (false, $"Log file\ts3://{logBucket}/{logKey}\tINVALID: not found (deleted)")
                        : hash != expected ? (false, $"Log file\ts3://{logBucket}/{logKey}\tINVALID: hash value doesn't match (changed)")
                        : (true, $"Log file\ts3://{logBucket}/{logKey}\tvalid"));
                }

                previous = digest;
                lastEnd = endTime;
            }

            // A log file of this region delivered before the last digest checked ends but listed by no digest was added.
            if (lastEnd is { } covered)
            {
                foreach (var logKey in logKeys.Where(k => k.StartsWith(root + "CloudTrail/" + region + "/", StringComparison.Ordinal) && !listed.Contains(k)))
                {
                    if (LogFileTime(logKey) is { } at && at.AddMinutes(1) <= covered && at >= start)
                    {
                        logCount++;
                        lines.Add((false, $"Log file\ts3://{bucket}/{logKey}\tINVALID: not listed in any digest file (added)"));
                    }
                }
            }
        }

        return new VerifyReport(trailArn, digestCount, logCount, lines);
    }

    private static string Text(JsonObject json, string member) => json[member]?.GetValue<string>() ?? "";

    private sealed record DigestFile(string Key, JsonObject Json, string Sha256, string? Signature);

    private static async Task<List<string>> ListAsync(AmazonS3Client s3, string bucket, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request, cancellationToken);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        return keys;
    }

    private static async Task<DigestFile> ReadDigestAsync(AmazonS3Client s3, string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
        var data = await GunzipAsync(response.ResponseStream, cancellationToken);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(data) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            json = [];
        }

        return new DigestFile(key, json, Convert.ToHexStringLower(SHA256.HashData(data)), response.Metadata["x-amz-meta-signature"]);
    }

    private static async Task<string?> ReadLogHashAsync(AmazonS3Client s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            return Convert.ToHexStringLower(SHA256.HashData(await GunzipAsync(response.ResponseStream, cancellationToken)));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<byte[]> GunzipAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer, cancellationToken);
        }
        catch (InvalidDataException)
        {
            // Not gzip any more: hash what is there, which cannot match.
            return [.. buffer.ToArray(), 0xFF];
        }

        return buffer.ToArray();
    }

    /// <summary>The delivery time in a log file's name (..._yyyyMMddTHHmmZ_id.json.gz).</summary>
    private static DateTimeOffset? LogFileTime(string key)
    {
        var parts = Path.GetFileName(key).Split('_');
        return parts.Length >= 5 && DateTimeOffset.TryParseExact(parts[^2], "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
