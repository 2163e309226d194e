using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:DeleteObject, or s3:DeleteObjectVersion with a version id: removes the object, adds a delete
/// marker, or removes one version, as the bucket's versioning decides (<see cref="ObjectDeletes"/>);
/// 204 also when there was nothing to delete.
/// </summary>
public sealed class DeleteObject(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "DeleteObject";

    protected override string Action => "s3:DeleteObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override string ActionFor(OperationRequest request) => WhenVersioned(request, "s3:DeleteObjectVersion");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        if (S3Input.Array(request.Input, "IfMatch") is { } ifMatch)
        {
            var existing = await S3.Repository.GetObjectAsync(bucket.Name, S3Input.Key(request.Input), cancellationToken);
            if (existing is null || !ObjectReads.ETagMatches(ifMatch, existing.ETag))
            {
                throw S3Errors.PreconditionFailed.ToException();
            }
        }

        var versionId = ObjectVersions.Requested(request.Input);
        if (versionId is not null && bucket.Config.MfaDelete)
        {
            await MfaDelete.RequireAsync(S3, request, bucket, cancellationToken);
        }

        var outcome = await ObjectDeletes.DeleteAsync(S3, bucket, S3Input.Key(request.Input), versionId, request.Caller, Bypass(request), cancellationToken);
        await Notifications.S3Events.EmitAsync(S3, request, bucket, outcome.DeleteMarker && versionId is null ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
            new(S3Input.Key(request.Input), 0, "", outcome.VersionId, S3.Time.GetUtcNow()), cancellationToken);
        var output = new JsonObject();
        if (outcome.VersionId is not null)
        {
            output["VersionId"] = outcome.VersionId;
        }

        if (outcome.DeleteMarker)
        {
            output["DeleteMarker"] = true;
        }

        return new OperationResult(output);
    }
}
