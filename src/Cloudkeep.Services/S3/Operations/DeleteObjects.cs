using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:DeleteObject for each of up to 1000 keys (s3:DeleteObjectVersion for an entry naming a
/// version), each authorized on its own as AWS does: a denied key is reported with AccessDenied and
/// left in place, the others are deleted as DeleteObject would (<see cref="ObjectDeletes"/>) and
/// reported as deleted (unless Quiet).
/// </summary>
public sealed class DeleteObjects(S3Context s3) : S3Operation(s3)
{
    public const int MaxKeys = 1000;

    private const string VersionAction = "s3:DeleteObjectVersion";

    public override string Operation => "DeleteObjects";

    protected override string Action => "s3:DeleteObject";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var target = await base.DescribeAsync(request, cancellationToken);
        var bucket = S3Input.Bucket(request.Input);
        var entries = Entries(request.Input);
        string[] Arns(bool versioned) => [.. entries.Where(e => (e.VersionId is not null) == versioned).Select(e => S3Arns.ForObject(bucket, e.Key))];
        var versioned = Arns(versioned: true);
        List<AuthorizationTarget> further = [];
        if (versioned.Length > 0)
        {
            further.Add(target with { Action = VersionAction, Resources = versioned, AnswersDeniedResources = true });
            if (Bypass(request))
            {
                further.Add(target with { Action = BypassAction, Resources = versioned, AnswersDeniedResources = true });
            }
        }

        return target with { Resources = Arns(versioned: false), AnswersDeniedResources = true, AlsoRequired = further };
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var quiet = S3Input.Object(request.Input, "Delete") is { } delete && S3Input.Boolean(delete, "Quiet") == true;
        var deleted = new JsonArray();
        var errors = new JsonArray();
        var entries = Entries(request.Input);

        // One code covers the request; without a good one, none of it runs, as S3 documents.
        if (bucket.Config.MfaDelete && entries.Any(e => e.VersionId is not null))
        {
            await MfaDelete.RequireAsync(S3, request, bucket, cancellationToken);
        }

        foreach (var (key, versionId) in entries)
        {
            if (key.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
            {
                errors.Add(Error(key, versionId, S3Errors.KeyTooLong.Code, S3Errors.KeyTooLong.DefaultMessage));
                continue;
            }

            if (request.DeniedResources.Contains((versionId is null ? Action : VersionAction, S3Arns.ForObject(bucket.Name, key))))
            {
                errors.Add(Error(key, versionId, "AccessDenied", "Access Denied"));
                continue;
            }

            if (versionId is not null && !ObjectVersions.IsWellFormed(versionId))
            {
                errors.Add(Error(key, versionId, "NoSuchVersion", "The specified version does not exist."));
                continue;
            }

            var bypass = Bypass(request) && !request.DeniedResources.Contains((BypassAction, S3Arns.ForObject(bucket.Name, key)));
            ObjectDeletes.Outcome outcome;
            try
            {
                outcome = await ObjectDeletes.DeleteAsync(S3, bucket, key, versionId, request.Caller, bypass, cancellationToken);
            }
            catch (Core.Errors.AwsException refused) when (refused.Error == S3Errors.AccessDenied)
            {
                // A version Object Lock keeps is reported like a denied key; the others go on.
                errors.Add(Error(key, versionId, refused.Code, refused.Message));
                continue;
            }

            await Notifications.S3Events.EmitAsync(S3, request, bucket, outcome.DeleteMarker && versionId is null ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
                new(key, 0, "", outcome.VersionId, S3.Time.GetUtcNow()), cancellationToken);
            if (!quiet)
            {
                var entry = new JsonObject { ["Key"] = key };
                if (versionId is not null)
                {
                    entry["VersionId"] = versionId;
                }

                if (outcome.DeleteMarker)
                {
                    entry["DeleteMarker"] = true;
                    entry["DeleteMarkerVersionId"] = outcome.VersionId;
                }

                deleted.Add(entry);
            }
        }

        return new OperationResult(new JsonObject { ["Deleted"] = deleted, ["Errors"] = errors });
    }

    private static JsonObject Error(string key, string? versionId, string code, string message)
    {
        var error = new JsonObject { ["Key"] = key };
        if (versionId is not null)
        {
            error["VersionId"] = versionId;
        }

        error["Code"] = code;
        error["Message"] = message;
        return error;
    }

    private static List<(string Key, string? VersionId)> Entries(JsonObject input)
    {
        var objects = S3Input.Object(input, "Delete")?["Objects"] as JsonArray ?? throw S3Errors.MalformedXml.ToException();
        if (objects.Count is 0 or > MaxKeys)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        // Key is required in each Object (ObjectIdentifier); one without it is not a request S3 reads.
        var entries = new List<(string, string?)>(objects.Count);
        foreach (var item in objects)
        {
            entries.Add(item is JsonObject o && S3Input.String(o, "Key") is { } key ? (key, S3Input.String(o, "VersionId")) : throw S3Errors.MalformedXml.ToException());
        }

        return entries;
    }
}
