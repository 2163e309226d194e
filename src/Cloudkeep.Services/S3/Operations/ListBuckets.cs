using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:ListAllMyBuckets: the caller's account's buckets, by name, with their owner.</summary>
public sealed class ListBuckets(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "ListBuckets";

    protected override string Action => "s3:ListAllMyBuckets";

    protected override S3Scope Scope => S3Scope.Service;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = request.Caller.AccountId;
        var prefix = S3Input.String(request.Input, "Prefix") ?? "";
        var region = S3Input.String(request.Input, "BucketRegion");
        var buckets = new JsonArray();
        foreach (var bucket in await S3.Repository.ListBucketsAsync(account, cancellationToken))
        {
            if (!bucket.Name.StartsWith(prefix, StringComparison.Ordinal) || (region is not null && bucket.Region != region))
            {
                continue;
            }

            buckets.Add(new JsonObject
            {
                ["Name"] = bucket.Name,
                ["CreationDate"] = JsonValue.Create(bucket.CreatedAt),
                ["BucketRegion"] = bucket.Region,
            });
        }

        return new OperationResult(new JsonObject
        {
            ["Buckets"] = buckets,
            ["Owner"] = await S3Owners.OwnerAsync(S3, account, cancellationToken),
        });
    }
}
