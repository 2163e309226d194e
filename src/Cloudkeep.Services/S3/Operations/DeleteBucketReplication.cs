using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Replication;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutReplicationConfiguration (S3 has no delete action for it): removes the rules; 204 also
/// when there were none. Versions already queued are still replicated under the rules that queued
/// them only while a rule still covers them; the others are marked FAILED.
/// </summary>
public sealed class DeleteBucketReplication(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteBucketReplication";

    protected override string Action => "s3:PutReplicationConfiguration";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With(ReplicationConfiguration.Part, null), cancellationToken);
        return OperationResult.Empty;
    }
}
