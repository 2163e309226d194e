using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// Log file validation (CloudTrail User Guide, "CloudTrail digest file structure"): for each trail
/// with validation on, each account and region it delivers for gets a digest file every period (an
/// hour, as in AWS), listing the log files delivered in it with their SHA-256 and chained to the
/// previous digest by its hash and signature. The digest is signed with the region's RSA key
/// (SHA256withRSA over "digestEndTime\nbucket/key\nhex(SHA-256(digest))\npreviousDigestSignature"),
/// the signature hex in the object's x-amz-meta-signature; ListPublicKeys hands out the public key.
/// </summary>
public static class TrailDigests
{
    public const string SignatureAlgorithm = "SHA256withRSA";
    private const int DigestsPerPass = 200;

    public static async Task<bool> AnyDueAsync(CloudTrailContext context, IReadOnlyList<TrailState> trails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var trail in trails.Where(t => t.Logging && t.LogFileValidation))
        {
            foreach (var (account, region) in await ScopesAsync(context, trail, now, cancellationToken))
            {
                if (await StartOfNextAsync(context, trail, account, region, cancellationToken) + context.DigestPeriod <= now)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static async Task<int> DeliverDueAsync(CloudTrailContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delivered = 0;
        var trails = (await context.Repository.TrailsAsync(cancellationToken)).Select(TrailState.FromRow).Where(t => t.Logging && t.LogFileValidation).ToList();
        foreach (var trail in trails)
        {
            foreach (var (account, region) in await ScopesAsync(context, trail, now, cancellationToken))
            {
                while (delivered < DigestsPerPass)
                {
                    var start = await StartOfNextAsync(context, trail, account, region, cancellationToken);
                    var end = start + context.DigestPeriod;
                    if (end > now)
                    {
                        break;
                    }

                    if (!await DeliverOneAsync(context, trail, account, region, start, end, cancellationToken))
                    {
                        break;
                    }

                    delivered++;
                }
            }
        }

        return delivered;
    }

    /// <summary>The accounts and regions a trail delivers for: its own home, and every one it has delivered a file for.</summary>
    private static async Task<HashSet<(string Account, string Region)>> ScopesAsync(CloudTrailContext context, TrailState trail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scopes = new HashSet<(string, string)> { (trail.AccountId, trail.HomeRegion) };
        foreach (var batch in await context.Repository.DeliveredAsync(trail.Arn, DateTimeOffset.UnixEpoch, now.AddSeconds(1), cancellationToken))
        {
            scopes.Add((batch.AccountId, batch.Region));
        }

        return scopes;
    }

    private static async Task<DateTimeOffset> StartOfNextAsync(CloudTrailContext context, TrailState trail, string account, string region, CancellationToken cancellationToken) =>
        (await context.Repository.LastDigestAsync(trail.Arn, account, region, cancellationToken))?.EndTime
        ?? Truncate(trail.StartLoggingTime ?? trail.CreatedAt);

    private static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private static async Task<bool> DeliverOneAsync(CloudTrailContext context, TrailState trail, string account, string region, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        context.S3.Forget(trail.Bucket);
        var bucket = await context.S3.FindBucketAsync(trail.Bucket, cancellationToken);
        var organizationId = trail.IsOrganization ? (await context.Organizations.GetIdsAsync(cancellationToken)).OrganizationId : null;
        var key = DigestKey(trail, account, region, end, organizationId);
        if (bucket is null || !Trails.MayWrite(context, bucket, key, trail))
        {
            return false;
        }

        var signingKey = await SigningKeys.GetOrCreateAsync(context, region, cancellationToken);
        var previous = await context.Repository.LastDigestAsync(trail.Arn, account, region, cancellationToken);
        var files = (await context.Repository.DeliveredAsync(trail.Arn, start, end, cancellationToken))
            .Where(b => b.AccountId == account && b.Region == region && !string.IsNullOrEmpty(b.Sha256))
            .ToList();
        var digest = new JsonObject
        {
            ["awsAccountId"] = account,
            ["digestStartTime"] = AuditRecords.Timestamp(start),
            ["digestEndTime"] = AuditRecords.Timestamp(end),
            ["digestS3Bucket"] = bucket.Name,
            ["digestS3Object"] = key,
            ["digestPublicKeyFingerprint"] = signingKey.Fingerprint,
            ["digestSignatureAlgorithm"] = SignatureAlgorithm,
            ["newestEventTime"] = files.Count == 0 ? null : AuditRecords.Timestamp(files.Max(f => f.NewestEvent)),
            ["oldestEventTime"] = files.Count == 0 ? null : AuditRecords.Timestamp(files.Min(f => f.OldestEvent)),
            ["previousDigestS3Bucket"] = previous?.Bucket,
            ["previousDigestS3Object"] = previous?.ObjectKey,
            ["previousDigestHashValue"] = previous?.Sha256,
            ["previousDigestHashAlgorithm"] = previous is null ? null : "SHA-256",
            ["previousDigestSignature"] = previous?.Signature,
            ["logFiles"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject
            {
                ["s3Bucket"] = f.Bucket,
                ["s3Object"] = f.ObjectKey,
                ["hashValue"] = f.Sha256,
                ["hashAlgorithm"] = "SHA-256",
                ["newestEventTime"] = AuditRecords.Timestamp(f.NewestEvent),
                ["oldestEventTime"] = AuditRecords.Timestamp(f.OldestEvent),
            })]),
        };
        var json = Encoding.UTF8.GetBytes(digest.ToJsonString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(json));
        var signature = Convert.ToHexStringLower(SigningKeys.Sign(context, signingKey, StringToSign(AuditRecords.Timestamp(end), bucket.Name, key, hash, previous?.Signature)));
        var metadata = new JsonObject { ["signature"] = signature, ["signature-algorithm"] = SignatureAlgorithm };
        await TrailDelivery.WriteObjectAsync(context, bucket, key, TrailDelivery.Gzip(json), metadata, cancellationToken);
        await context.Repository.AddDigestAsync(new CloudTrailDigest(trail.Arn, account, region, end, bucket.Name, key, signature, hash), cancellationToken);
        return true;
    }

    /// <summary>What is signed, as `aws cloudtrail validate-logs` rebuilds it; "null" stands for a first digest's missing previous signature.</summary>
    public static string StringToSign(string endTime, string bucket, string key, string hexSha256, string? previousSignature) =>
        endTime + "\n" + bucket + "/" + key + "\n" + hexSha256 + "\n" + (previousSignature ?? "null");

    public static string DigestKey(TrailState trail, string account, string region, DateTimeOffset end, string? organizationId)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var utc = end.UtcDateTime;
        return Trails.LogRoot(trail, account, organizationId)
            + string.Create(CultureInfo.InvariantCulture, $"CloudTrail-Digest/{region}/{utc:yyyy}/{utc:MM}/{utc:dd}/{account}_CloudTrail-Digest_{region}_{trail.Name}_{trail.HomeRegion}_{utc:yyyyMMdd'T'HHmmss'Z'}.json.gz");
    }
}
