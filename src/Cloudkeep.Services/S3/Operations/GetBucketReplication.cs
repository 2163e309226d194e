using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Replication;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:GetReplicationConfiguration: the rules as stored (with generated IDs); ReplicationConfigurationNotFoundError when there are none.</summary>
public sealed class GetBucketReplication(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "GetBucketReplication";

    protected override string Action => "s3:GetReplicationConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var stored = bucket.Config.Get(ReplicationConfiguration.Part) as JsonObject
            ?? throw new Core.Errors.AwsException(S3Errors.ReplicationConfigurationNotFound, S3Errors.ReplicationConfigurationNotFound.DefaultMessage) { Fields = [new("BucketName", bucket.Name)] };
        return new OperationResult(new JsonObject { ["ReplicationConfiguration"] = stored.DeepClone() });
    }
}
