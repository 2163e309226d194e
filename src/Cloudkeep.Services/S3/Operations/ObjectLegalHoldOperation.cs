using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.ObjectLock;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObjectLegalHold / s3:GetObjectLegalHold: a hold that keeps a version until it is lifted, whatever its retention.</summary>
public sealed class ObjectLegalHoldOperation(S3Context s3, bool put) : S3Operation(s3)
{
    public override string Operation => put ? "PutObjectLegalHold" : "GetObjectLegalHold";

    protected override string Action => put ? "s3:PutObjectLegalHold" : "s3:GetObjectLegalHold";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        ObjectLockConfiguration.RequireEnabled(bucket.Config);

        var record = await S3.RequireRequestObjectAsync(request, bucket, RequireKey(request), put ? "PUT" : "GET", cancellationToken);
        var meta = ObjectMeta.Parse(record.Meta);
        if (!put)
        {
            return meta.Document["LegalHold"]?.GetValue<string>() is { } status
                ? new OperationResult(new JsonObject { ["LegalHold"] = new JsonObject { ["Status"] = status } })
                : throw S3Errors.NoSuchObjectLockConfiguration.ToException();
        }

        var hold = S3Input.String(S3Input.Object(request.Input, "LegalHold") ?? [], "Status");
        meta.Document["LegalHold"] = hold is "ON" or "OFF" ? hold : throw S3Errors.MalformedXml.ToException();
        await S3.UpdateMetaAsync(record, meta.ToJson(), record.OwnerAccount, cancellationToken);
        return OperationResult.Empty;
    }
}
