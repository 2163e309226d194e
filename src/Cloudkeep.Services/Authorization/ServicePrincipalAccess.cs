using Cloudkeep.Policy;

namespace Cloudkeep.Services.Authorization;

/// <summary>
/// Whether a resource policy lets an AWS service principal act for one source: the check every
/// service-to-service write makes (CloudTrail and access-log delivery into a bucket, S3 and
/// CloudWatch publishing to a topic). AWS judges these by the resource policy alone, with the
/// service's aws:SourceArn and aws:SourceAccount in the context, so a policy without a statement
/// for the service denies.
/// </summary>
public static class ServicePrincipalAccess
{
    /// <summary>Whether <paramref name="resourcePolicy"/> lets the service do <paramref name="action"/> on <paramref name="resource"/> for the source; extra keys are what the service's own request carries besides the common ones (CloudTrail's s3:x-amz-acl).</summary>
    public static bool Allows(
        CompiledPolicy? resourcePolicy,
        string servicePrincipal,
        string action,
        string resource,
        string resourceAccount,
        string sourceArn,
        string sourceAccount,
        IReadOnlyList<KeyValuePair<string, string>>? extraKeys = null)
    {
        if (resourcePolicy is null)
        {
            return false;
        }

        var context = new RequestContextBuilder()
            .Set("aws:SourceAccount", sourceAccount)
            .Set("aws:SourceArn", sourceArn)
            .Set("aws:PrincipalServiceName", servicePrincipal)
            .Set("aws:PrincipalIsAWSService", "true")
            .Set("aws:SecureTransport", "true");
        foreach (var (key, value) in extraKeys ?? [])
        {
            context.Set(key, value);
        }

        return PolicyEvaluator.Evaluate(new EvaluationRequest
        {
            Principal = new PrincipalInfo(PrincipalType.Service, servicePrincipal, null),
            Action = action,
            Resource = resource,
            ResourceAccount = resourceAccount,
            Context = context.Build(),
            ResourcePolicy = resourcePolicy,
            ResourcePolicyRequired = true,
        }).IsAllowed;
    }
}
