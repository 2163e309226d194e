using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:DeleteObject for each of up to 1000 keys, each authorized on its own as AWS does: a denied key
/// is reported with AccessDenied and left in place, the others are deleted and reported as deleted
/// (unless Quiet).
/// </summary>
public sealed class DeleteObjects(S3Context s3) : S3Operation(s3)
{
    public const int MaxKeys = 1000;

    public override string Operation => "DeleteObjects";

    protected override string Action => "s3:DeleteObject";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var target = await base.DescribeAsync(request, cancellationToken);
        var bucket = S3Input.Bucket(request.Input);
        return target with { Resources = [.. Keys(request.Input).Select(k => S3Arns.ForObject(bucket, k))], AnswersDeniedResources = true };
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var quiet = S3Input.Object(request.Input, "Delete") is { } delete && S3Input.Boolean(delete, "Quiet") == true;
        var deleted = new JsonArray();
        var errors = new JsonArray();
        foreach (var key in Keys(request.Input))
        {
            if (key.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
            {
                errors.Add(new JsonObject { ["Key"] = key, ["Code"] = S3Errors.KeyTooLong.Code, ["Message"] = S3Errors.KeyTooLong.DefaultMessage });
                continue;
            }

            if (request.DeniedResources.Contains(S3Arns.ForObject(bucket.Name, key)))
            {
                errors.Add(new JsonObject { ["Key"] = key, ["Code"] = "AccessDenied", ["Message"] = "Access Denied" });
                continue;
            }

            S3.DeleteObjectBlobs(await S3.Repository.DeleteObjectAsync(bucket.Name, key, cancellationToken));
            if (!quiet)
            {
                deleted.Add(new JsonObject { ["Key"] = key });
            }
        }

        return new OperationResult(new JsonObject { ["Deleted"] = deleted, ["Errors"] = errors });
    }

    private static List<string> Keys(JsonObject input)
    {
        var objects = S3Input.Object(input, "Delete")?["Objects"] as JsonArray ?? throw S3Errors.MalformedXml.ToException();
        if (objects.Count is 0 or > MaxKeys)
        {
            throw S3Errors.MalformedXml.ToException();
        }

        // Key is required in each Object (ObjectIdentifier); one without it is not a request S3 reads.
        var keys = new List<string>(objects.Count);
        foreach (var item in objects)
        {
            keys.Add(item is JsonObject o && S3Input.String(o, "Key") is { } key ? key : throw S3Errors.MalformedXml.ToException());
        }

        return keys;
    }
}
