using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3.Replication;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutReplicationConfiguration: replaces the bucket's replication rules after checking every one
/// against the buckets it names. Handing S3 the role is iam:PassRole on it, as AWS requires of the
/// caller ("the user or role performing the operation must have the iam:PassRole permission").
/// </summary>
public sealed class PutBucketReplication(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutBucketReplication";

    protected override string Action => "s3:PutReplicationConfiguration";

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = await base.DescribeAsync(request, cancellationToken);
        if (S3Input.Object(request.Input, "ReplicationConfiguration") is { } configuration
            && S3Input.String(configuration, "Role") is { } role
            && Iam.IamArns.TryParseRoleArn(role, out var roleAccount, out _))
        {
            var passRole = new AuthorizationTarget(
                "iam:PassRole",
                [role],
                new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["iam:PassedToService"] = ["s3.amazonaws.com"] })
            {
                ResourceAccount = roleAccount,
            };
            return target with { AlsoRequired = [.. target.AlsoRequired, passRole] };
        }

        return target;
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var configuration = await ReplicationConfiguration.ValidateAsync(S3, bucket, S3Input.Object(request.Input, "ReplicationConfiguration"), cancellationToken);
        await S3.SaveConfigAsync(bucket, bucket.Config.With(ReplicationConfiguration.Part, configuration), cancellationToken);
        return OperationResult.Empty;
    }
}
