using System.Text.Json.Nodes;
using Cloudkeep.Policy;

namespace Cloudkeep.Services.Organizations;

/// <summary>
/// Service control policies: stored as documents under the management account, each with the
/// targets (the root, or accounts) it is attached to. AWS's FullAWSAccess policy exists from the
/// start and is attached to the root and to every account created, so nothing is denied until an
/// administrator narrows it.
/// </summary>
public sealed class ServiceControlPolicies
{
    public const string Kind = "scp";
    public const string FullAwsAccessId = "p-FullAWSAccess";
    public const string FullAwsAccessContent = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private readonly OrganizationContext _organizations;

    public ServiceControlPolicies(OrganizationContext organizations)
    {
        _organizations = organizations;
    }

    public sealed record Scp(string Id, string Name, string Description, string Content, bool AwsManaged, IReadOnlyList<string> Targets);


    /// <summary>
    /// The organization's SCPs. Until something changes it, AWS's managed FullAWSAccess (attached to
    /// the root and every member account) is answered without being stored: a read never writes, so
    /// a refused request leaves nothing behind.
    /// </summary>
    public async Task<IReadOnlyList<Scp>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = await _organizations.GetIdsAsync(cancellationToken);
        var stored = await _organizations.Iam.Store.ListAsync<Scp>(ids.ManagementAccountId, Kind, cancellationToken);
        return stored.Any(p => p.Id == FullAwsAccessId) ? stored : [await FullAwsAccessAsync(ids, cancellationToken), .. stored];
    }

    private async Task<Scp> FullAwsAccessAsync(OrganizationContext.Ids ids, CancellationToken cancellationToken)
    {
        var members = (await _organizations.Accounts.ListAsync(cancellationToken)).Where(a => !a.IsManagement).Select(a => a.AccountId);
        return new Scp(FullAwsAccessId, "FullAWSAccess", "Allows access to every operation", FullAwsAccessContent, true, [ids.RootId, .. members]);
    }

    /// <summary>Stores FullAWSAccess as first answered, before the first change to it.</summary>
    private async Task MaterializeFullAwsAccessAsync(OrganizationContext.Ids ids, CancellationToken cancellationToken)
    {
        var full = await FullAwsAccessAsync(ids, cancellationToken);
        if (await _organizations.Iam.Store.Documents.TryInsertAsync(ids.ManagementAccountId, Kind, full.Id, full.Id, full, cancellationToken))
        {
            _organizations.Iam.Store.Touch();
        }
    }

    public async Task<Scp> RequireAsync(string policyId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(p => p.Id == policyId) ?? throw OrganizationsErrors.PolicyNotFound.ToException();

    public async Task<Scp> UpdateAsync(string policyId, Func<Scp, Scp> change, CancellationToken cancellationToken)
    {
        await RequireAsync(policyId, cancellationToken);
        var ids = await _organizations.GetIdsAsync(cancellationToken);
        if (policyId == FullAwsAccessId)
        {
            await MaterializeFullAwsAccessAsync(ids, cancellationToken);
        }

        return await _organizations.Iam.Store.UpdateAsync(ids.ManagementAccountId, Kind, policyId, change, () => OrganizationsErrors.PolicyNotFound.ToException(), cancellationToken);
    }

    /// <summary>
    /// The SCP levels that govern principals of an account, root first, then each OU down to the
    /// account's, then the account: null for the management
    /// account, which SCPs never restrict ("SCPs don't affect users or roles in the management account").
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<CompiledPolicy>>?> LevelsForAsync(string accountId, PolicyCache cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var ids = await _organizations.GetIdsAsync(cancellationToken);
        if (accountId == ids.ManagementAccountId || await _organizations.Accounts.GetAsync(accountId, cancellationToken) is null)
        {
            return null;
        }

        var policies = await ListAsync(cancellationToken);
        IReadOnlyList<CompiledPolicy> Level(string target) =>
            [.. policies.Where(p => p.Targets.Contains(target)).Select(p => cache.GetOrCompile(p.Id, Iam.IamContext.Fingerprint(p.Content), p.Content, PolicyKind.Scp).GetPolicyOrThrow())];
        var units = await new OrganizationalUnits(_organizations).PathOfAccountAsync(ids, accountId, cancellationToken);
        return [Level(ids.RootId), .. units.Select(Level), Level(accountId)];
    }

    /// <summary>
    /// Checks content as an SCP (grammar, SCP rules, the 5,120-character limit). As in AWS, content
    /// over the limit is ConstraintViolationException (POLICY_CONTENT_LIMIT_EXCEEDED) and anything
    /// else wrong is MalformedPolicyDocumentException.
    /// </summary>
    public static void ValidateContent(string content)
    {
        var parsed = PolicyDocument.Parse(content, PolicyKind.Scp);
        if (parsed.IsValid)
        {
            return;
        }

        if (parsed.Errors.FirstOrDefault(e => e.Code == PolicyErrorCode.LimitExceeded) is { } tooLarge)
        {
            throw OrganizationsErrors.WithReason(OrganizationsErrors.ConstraintViolation, "POLICY_CONTENT_LIMIT_EXCEEDED", tooLarge.Message);
        }

        throw OrganizationsErrors.MalformedPolicy.ToException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
    }

    /// <summary>A policy's ARN; FullAWSAccess, the one AWS managed SCP, lives under the aws account.</summary>
    public static string Arn(OrganizationContext.Ids ids, string policyId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return policyId == FullAwsAccessId
            ? $"arn:aws:organizations::aws:policy/service_control_policy/{policyId}"
            : $"arn:aws:organizations::{ids.ManagementAccountId}:policy/{ids.OrganizationId}/service_control_policy/{policyId}";
    }

    /// <summary>The Policy shape CreatePolicy, DescribePolicy and UpdatePolicy answer.</summary>
    public static JsonObject Detail(OrganizationContext.Ids ids, Scp policy) => new()
    {
        ["Policy"] = new JsonObject { ["PolicySummary"] = Summary(ids, policy), ["Content"] = policy.Content },
    };

    public static JsonObject Summary(OrganizationContext.Ids ids, Scp policy) => new()
    {
        ["Id"] = policy.Id,
        ["Arn"] = Arn(ids, policy.Id),
        ["Name"] = policy.Name,
        ["Description"] = policy.Description,
        ["Type"] = "SERVICE_CONTROL_POLICY",
        ["AwsManaged"] = policy.AwsManaged,
    };
}
