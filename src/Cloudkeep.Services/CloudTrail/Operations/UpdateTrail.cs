using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>cloudtrail:UpdateTrail: changes what is given, from the trail's home region; a new bucket or prefix is checked as CreateTrail checks it.</summary>
public sealed class UpdateTrail(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "UpdateTrail";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var trail = await Trails.FindOwnAsync(Context, request, input.Str("Name"), cancellationToken);
        TrailSettings.RefuseUnsupported(input);
        var organization = input.OptBool("IsOrganizationTrail") ?? trail.IsOrganization;
        if (organization && !trail.IsOrganization && request.Caller.AccountId != await Trails.ManagementAccountAsync(Context, cancellationToken))
        {
            throw CloudTrailErrors.NotOrganizationMasterAccount.ToException();
        }

        var updated = trail with
        {
            Bucket = input.OptStr("S3BucketName") ?? trail.Bucket,
            Prefix = input.ContainsKey("S3KeyPrefix") ? TrailSettings.Prefix(input.OptStr("S3KeyPrefix")) : trail.Prefix,
            IncludeGlobalServiceEvents = input.OptBool("IncludeGlobalServiceEvents") ?? trail.IncludeGlobalServiceEvents,
            IsMultiRegion = input.OptBool("IsMultiRegionTrail") ?? trail.IsMultiRegion,
            IsOrganization = organization,
            LogFileValidation = input.OptBool("EnableLogFileValidation") ?? trail.LogFileValidation,
        };
        TrailSettings.CheckCombination(updated);
        if (updated.Bucket != trail.Bucket || updated.Prefix != trail.Prefix || updated.IsOrganization != trail.IsOrganization)
        {
            await Trails.CheckBucketAsync(Context, updated, cancellationToken);
        }

        if (!await Context.Repository.UpdateTrailAsync(updated.Arn, updated.ToDocument(), updated.Logging, cancellationToken))
        {
            throw CloudTrailErrors.TrailNotFound.ToException($"Unknown trail: {trail.Arn} for the user: {request.Caller.AccountId}");
        }

        return new OperationResult(updated.ToCreateShape());
    }
}
