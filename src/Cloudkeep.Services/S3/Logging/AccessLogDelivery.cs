using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Services.Authorization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Logging;

/// <summary>
/// Delivers gathered server access log lines as objects in each source bucket's target bucket,
/// written as the log delivery service (logging.s3.amazonaws.com), which the target bucket's policy
/// (or, where ACLs are enabled, a WRITE grant to the LogDelivery group) must allow: without one the
/// lines are dropped and counted, as AWS delivers nothing then. Keys follow S3's formats:
/// simple <c>prefix + YYYY-MM-DD-hh-mm-ss-UNIQUE</c>, or partitioned
/// <c>prefix + account/region/bucket/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-UNIQUE</c> by event or delivery time.
/// Objects are stored with SSE-S3, the one encryption S3 supports for log targets.
/// </summary>
public sealed class AccessLogDelivery(S3Context s3)
{
    public const string ServicePrincipal = "logging.s3.amazonaws.com";
    public const string LogDeliveryGroup = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    private const int LinesPerObject = 10_000;

    /// <summary>What a pass did: objects written and lines in them; lines refused by the target's policy; lines dropped (logging turned off, target gone).</summary>
    public sealed record PassResult(int Objects, int Lines, int Refused, int Dropped);

    /// <summary>Delivers every line written at or before <paramref name="until"/>.</summary>
    public async Task<PassResult> DeliverAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        int objects = 0, delivered = 0, refused = 0, dropped = 0;
        foreach (var sourceName in await s3.Repository.AccessLogSourcesAsync(until, cancellationToken))
        {
            s3.Forget(sourceName);
            var source = await s3.FindBucketAsync(sourceName, cancellationToken);
            var target = source is null ? null : BucketLogging.TargetOf(source.Config);
            BucketState? targetBucket = null;
            if (target is not null)
            {
                s3.Forget(target.Bucket);
                targetBucket = await s3.FindBucketAsync(target.Bucket, cancellationToken);
            }

            while (true)
            {
                var lines = await s3.Repository.AccessLogLinesAsync(sourceName, until, LinesPerObject, cancellationToken);
                if (lines.Count == 0)
                {
                    break;
                }

                if (source is null || target is null || targetBucket is null)
                {
                    dropped += lines.Count;
                }
                else
                {
                    var now = s3.Time.GetUtcNow();
                    var groups = target.ByEventTime ? lines.GroupBy(l => l.At.UtcDateTime.Date) : lines.GroupBy(_ => now.UtcDateTime.Date);
                    foreach (var group in groups)
                    {
                        var key = KeyFor(target, source, target.ByEventTime ? group.First().At : now);
                        if (!MayWrite(targetBucket, key, source))
                        {
                            refused += group.Count();
                            continue;
                        }

                        await WriteAsync(targetBucket, key, group, now, cancellationToken);
                        objects++;
                        delivered += group.Count();
                    }
                }

                await s3.Repository.RemoveAccessLogLinesAsync([.. lines.Select(l => l.Id)], cancellationToken);
                if (lines.Count < LinesPerObject)
                {
                    break;
                }
            }
        }

        return new PassResult(objects, delivered, refused, dropped);
    }

    /// <summary>The object key of a log object, in the target's format.</summary>
    internal static string KeyFor(LoggingTarget target, BucketState source, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var stamp = utc.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        return target.Partitioned
            ? string.Create(CultureInfo.InvariantCulture, $"{target.Prefix}{source.AccountId}/{source.Region}/{source.Name}/{utc:yyyy}/{utc:MM}/{utc:dd}/{stamp}")
            : target.Prefix + stamp;
    }

    /// <summary>Whether the target bucket lets the log delivery service write this key for this source.</summary>
    private bool MayWrite(BucketState target, string key, BucketState source)
    {
        if (target.Config.AclsEnabled && target.Config.Grants.Any(g => g.GranteeType == S3Grant.Group && g.Grantee == LogDeliveryGroup && g.Permission is "WRITE" or "FULL_CONTROL"))
        {
            return true;
        }

        return ServicePrincipalAccess.Allows(
            target.CompiledPolicy(s3), ServicePrincipal, "s3:PutObject", S3Arns.ForObject(target.Name, key), target.AccountId, S3Arns.ForBucket(source.Name), source.AccountId);
    }

    private async Task WriteAsync(BucketState target, string key, IEnumerable<S3AccessLogLine> lines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.Line).Append('\n');
        }

        // Log objects are SSE-S3, whatever the target's default: S3 delivers server access logs only
        // with SSE-S3 ("Server access logs ... support only SSE-S3" in the S3 user guide).
        await ObjectUploads.PutServiceObjectAsync(
            s3, target, key, Encoding.UTF8.GetBytes(text.ToString()), new System.Text.Json.Nodes.JsonObject { ["ContentType"] = "text/plain" }, now, cancellationToken);
    }
}
