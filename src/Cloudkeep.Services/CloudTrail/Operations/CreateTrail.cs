using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>
/// cloudtrail:CreateTrail: a trail in the request's region delivering to an S3 bucket whose policy lets
/// CloudTrail write (InsufficientS3BucketPolicyException otherwise). A new trail is not logging until
/// StartLogging, as in AWS. SNS, CloudWatch Logs and SSE-KMS delivery are not supported.
/// </summary>
public sealed class CreateTrail(CloudTrailContext context) : CloudTrailOperation(context)
{
    public override string Operation => "CreateTrail";

    protected override string? TrailMember => "Name";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var name = input.Str("Name");
        if (!TrailState.IsValidName(name))
        {
            Trails.CheckNameOrArn(name.StartsWith("arn:", StringComparison.Ordinal) ? "not-an-arn" : name);
        }

        TrailSettings.RefuseUnsupported(input);
        var account = request.Caller.AccountId;
        var organization = input.OptBool("IsOrganizationTrail") ?? false;
        if (organization && account != await Trails.ManagementAccountAsync(Context, cancellationToken))
        {
            throw CloudTrailErrors.NotOrganizationMasterAccount.ToException();
        }

        var tags = Trails.ReadTags(input.OptArray("TagsList"));
        if (tags.Count > 50)
        {
            throw CloudTrailErrors.TagsLimitExceeded.ToException();
        }

        var trail = new TrailState
        {
            Arn = TrailState.ArnFor(request.Region, account, name),
            AccountId = account,
            HomeRegion = request.Region,
            Name = name,
            Bucket = input.Str("S3BucketName"),
            Prefix = TrailSettings.Prefix(input.OptStr("S3KeyPrefix")),
            IncludeGlobalServiceEvents = input.OptBool("IncludeGlobalServiceEvents") ?? true,
            IsMultiRegion = input.OptBool("IsMultiRegionTrail") ?? false,
            IsOrganization = organization,
            LogFileValidation = input.OptBool("EnableLogFileValidation") ?? false,
            Tags = tags,
            CreatedAt = Context.Now,
        };
        TrailSettings.CheckCombination(trail);
        var existing = await Context.Repository.TrailsAsync(cancellationToken);
        if (existing.Any(t => t.AccountId == account && t.HomeRegion == request.Region && t.Name == name))
        {
            throw CloudTrailErrors.TrailAlreadyExists.ToException($"Trail {name} already exists for customer: {account}");
        }

        if (existing.Count(t => t.AccountId == account && t.HomeRegion == request.Region) >= CloudTrailContext.TrailsPerRegion)
        {
            throw CloudTrailErrors.MaximumNumberOfTrailsExceeded.ToException("User: " + account + " already has " + CloudTrailContext.TrailsPerRegion + " trails in " + request.Region + ".");
        }

        await Trails.CheckBucketAsync(Context, trail, cancellationToken);
        if (!await Context.Repository.CreateTrailAsync(trail.ToRow(), cancellationToken))
        {
            throw CloudTrailErrors.TrailAlreadyExists.ToException($"Trail {name} already exists for customer: {account}");
        }

        return new OperationResult(trail.ToCreateShape());
    }
}
