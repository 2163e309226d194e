using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.ObjectLock;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetBucketObjectLockConfiguration: the configuration, or ObjectLockConfigurationNotFoundError for a bucket without Object Lock.</summary>
public sealed class GetObjectLockConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetObjectLockConfiguration";

    protected override string Action => "s3:GetBucketObjectLockConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var stored = bucket.Config.Get(ObjectLockConfiguration.Part)
            ?? throw new Core.Errors.AwsException(S3Errors.ObjectLockConfigurationNotFound, S3Errors.ObjectLockConfigurationNotFound.DefaultMessage) { Fields = [new("BucketName", bucket.Name)] };
        return new OperationResult(new JsonObject { ["ObjectLockConfiguration"] = stored.DeepClone() });
    }
}
