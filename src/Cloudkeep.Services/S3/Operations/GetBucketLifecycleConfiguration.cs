using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Lifecycle;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetLifecycleConfiguration: the rules as stored (with generated IDs); NoSuchLifecycleConfiguration when there are none.</summary>
public sealed class GetBucketLifecycleConfiguration(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketLifecycleConfiguration";

    protected override string Action => "s3:GetLifecycleConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var stored = bucket.Config.Get(LifecycleConfiguration.Part) as JsonObject
            ?? throw new Core.Errors.AwsException(S3Errors.NoSuchLifecycleConfiguration, S3Errors.NoSuchLifecycleConfiguration.DefaultMessage) { Fields = [new("BucketName", bucket.Name)] };
        return new OperationResult((JsonObject)stored.DeepClone());
    }
}
