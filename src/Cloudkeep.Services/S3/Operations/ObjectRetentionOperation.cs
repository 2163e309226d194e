using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.ObjectLock;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutObjectRetention / s3:GetObjectRetention on a version (the current one without a version id).
/// A retention may always be lengthened; shortening or lifting a GOVERNANCE one needs
/// x-amz-bypass-governance-retention (and s3:BypassGovernanceRetention); a COMPLIANCE one never.
/// </summary>
public sealed class ObjectRetentionOperation(S3Context s3, bool put) : ObjectLockOperation(s3, put)
{
    public override string Operation => Put ? "PutObjectRetention" : "GetObjectRetention";

    protected override string Action => Put ? "s3:PutObjectRetention" : "s3:GetObjectRetention";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (record, meta) = await LockedVersionAsync(request, cancellationToken);
        var current = ObjectRetention.Of(meta);
        if (!Put)
        {
            return current.Mode is null
                ? throw S3Errors.NoSuchObjectLockConfiguration.ToException()
                : new OperationResult(new JsonObject { ["Retention"] = new JsonObject { ["Mode"] = current.Mode, ["RetainUntilDate"] = JsonValue.Create(current.RetainUntil!.Value) } });
        }

        var retention = S3Input.Object(request.Input, "Retention") ?? throw S3Errors.MalformedXml.ToException();
        var mode = S3Input.String(retention, "Mode");
        var until = S3Input.Timestamp(retention, "RetainUntilDate");
        if ((mode is null) != (until is null) || mode is not (null or ObjectRetention.Governance or ObjectRetention.Compliance))
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var now = S3.Time.GetUtcNow();
        if (until <= now)
        {
            throw S3Errors.InvalidArgument.ToException("The retain until date must be in the future!");
        }

        if (!current.MayBecome(mode, until, now, Bypass(request)))
        {
            throw ObjectRetention.ProtectedError();
        }

        ObjectRetention.Write(meta, mode, until);
        return await WriteBackAsync(record, meta, cancellationToken);
    }
}
