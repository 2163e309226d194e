using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObjectLegalHold / s3:GetObjectLegalHold: a hold that keeps a version until it is lifted, whatever its retention.</summary>
public sealed class ObjectLegalHoldOperation(S3Context s3, bool put) : ObjectLockOperation(s3, put)
{
    public override string Operation => Put ? "PutObjectLegalHold" : "GetObjectLegalHold";

    protected override string Action => Put ? "s3:PutObjectLegalHold" : "s3:GetObjectLegalHold";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var (record, meta) = await LockedVersionAsync(request, cancellationToken);
        if (!Put)
        {
            return meta.Document["LegalHold"]?.GetValue<string>() is { } status
                ? new OperationResult(new JsonObject { ["LegalHold"] = new JsonObject { ["Status"] = status } })
                : throw S3Errors.NoSuchObjectLockConfiguration.ToException();
        }

        var hold = S3Input.String(S3Input.Object(request.Input, "LegalHold") ?? [], "Status");
        meta.Document["LegalHold"] = hold is "ON" or "OFF" ? hold : throw S3Errors.MalformedXml.ToException();
        return await WriteBackAsync(record, meta, cancellationToken);
    }
}
