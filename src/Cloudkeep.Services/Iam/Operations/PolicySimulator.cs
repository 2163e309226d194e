using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Policy;
using Cloudkeep.Services.Authorization;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// What SimulatePrincipalPolicy and SimulateCustomPolicy share: every action × resource pair is
/// decided by the same policy engine the pipeline uses, with the caller's context entries, and
/// answered with AWS's EvaluationResult shape (decision and matched statements).
/// </summary>
internal static class PolicySimulator
{
    /// <summary>
    /// The simulated request's condition keys. A simulated IAM user's name fills aws:username first; the given
    /// context entries then replace it, since AWS evaluates conditions and policy variables with "the
    /// corresponding value supplied" in ContextEntries whenever a policy uses the key.
    /// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
    /// </summary>
    public static RequestContext Context(JsonObject input, string? callerArn)
    {
        var builder = new RequestContextBuilder();
        if (callerArn is not null && IamArns.TryParseUserArn(callerArn, out _, out var userName))
        {
            builder.Set("aws:username", userName);
        }

        foreach (var entry in input.OptArray("ContextEntries").Objects())
        {
            var name = entry.OptStr("ContextKeyName");
            if (name is not null)
            {
                builder.Set(name, entry.OptArray("ContextKeyValues").Strings());
            }
        }

        return builder.Build();
    }

    public static IReadOnlyList<CompiledPolicy> Compile(JsonArray? documents, PolicyKind kind, string prefix)
    {
        var policies = new List<CompiledPolicy>();
        var index = 0;
        foreach (var document in documents.Strings())
        {
            var parsed = PolicyDocument.Parse(document, kind, $"{prefix}{++index}");
            if (!parsed.IsValid)
            {
                throw IamErrors.MalformedPolicyDocument.ToException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
            }

            policies.Add(parsed.Policy!);
        }

        return policies;
    }

    public static JsonObject Simulate(
        JsonObject input,
        PrincipalInfo principal,
        IReadOnlyList<CompiledPolicy> identity,
        CompiledPolicy? boundary,
        RequestContext context,
        string defaultAccount)
    {
        CompiledPolicy? resourcePolicy = null;
        if (input.OptStr("ResourcePolicy") is { } resourceDocument)
        {
            var parsed = PolicyDocument.Parse(resourceDocument, PolicyKind.Bucket, "ResourcePolicy");
            resourcePolicy = parsed.IsValid ? parsed.Policy : throw IamErrors.MalformedPolicyDocument.ToException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
        }

        var resources = input.OptArray("ResourceArns").Strings().ToList();
        if (resources.Count == 0)
        {
            resources.Add("*");
        }

        var results = new JsonArray();
        foreach (var action in input.OptArray("ActionNames").Strings())
        {
            foreach (var resource in resources)
            {
                var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
                {
                    Principal = principal,
                    Action = action,
                    Resource = resource,
                    ResourceAccount = input.OptStr("ResourceOwner") is { } owner ? IamArns.AccountOf(owner) is { Length: > 0 } a ? a : owner : defaultAccount,
                    Context = context,
                    IdentityPolicies = identity,
                    PermissionsBoundary = boundary,
                    ResourcePolicy = resourcePolicy,
                });
                results.Add(new JsonObject
                {
                    ["EvalActionName"] = action,
                    ["EvalResourceName"] = resource,
                    ["EvalDecision"] = decision.Outcome switch
                    {
                        DecisionOutcome.Allow => "allowed",
                        DecisionOutcome.ExplicitDeny => "explicitDeny",
                        _ => "implicitDeny",
                    },
                    ["MatchedStatements"] = new JsonArray([.. decision.Trace.Select(m => (JsonNode)new JsonObject
                    {
                        ["SourcePolicyId"] = m.PolicyId,
                        ["SourcePolicyType"] = m.PolicyType switch
                        {
                            PolicyType.Resource => "resource",
                            PolicyType.PermissionsBoundary => "user-managed",
                            _ when m.PolicyId.StartsWith("arn:aws:iam::aws:", StringComparison.Ordinal) => "aws-managed",
                            _ when m.PolicyId.StartsWith("arn:aws:iam::", StringComparison.Ordinal) => "user-managed",
                            _ => "IAM Policy",
                        },
                    })]),
                    ["MissingContextValues"] = new JsonArray(),
                });
            }
        }

        return new JsonObject { ["EvaluationResults"] = results, ["IsTruncated"] = false };
    }

    /// <summary>
    /// The principal a simulation evaluates as. A role acts only through its sessions, so a role ARN
    /// is simulated as a session of that role (otherwise its identity policies would not apply).
    /// </summary>
    public static PrincipalInfo PrincipalFor(string arn) =>
        IamArns.TryParseRoleArn(arn, out var account, out _)
            ? new PrincipalInfo(PrincipalType.AssumedRole, arn, account) { RoleArn = arn }
            : PrincipalInfo.FromArn(arn);

    public static Caller CallerFor(string arn, string accountId) =>
        new(arn.Contains(":user/", StringComparison.Ordinal) ? PrincipalKind.User : PrincipalKind.Root, accountId, arn, arn, null);

    public static AwsException NoSuchSource(string arn) => IamErrors.NoSuchEntity.ToException($"The policy source {arn} cannot be found.");

    public static async Task<(IReadOnlyList<CompiledPolicy> Identity, CompiledPolicy? Boundary)> SourcePoliciesAsync(IamContext iam, string sourceArn, CancellationToken cancellationToken)
    {
        var account = IamArns.AccountOf(sourceArn);
        if (IamArns.TryParseUserArn(sourceArn, out _, out _))
        {
            var policies = await PrincipalPolicies.LoadAsync(iam.Store, iam.Policies, CallerFor(sourceArn, account), cancellationToken);
            return (policies.Identity, policies.Boundary);
        }

        if (IamArns.TryParseRoleArn(sourceArn, out _, out var roleName))
        {
            var role = await iam.Store.GetAsync<IamRole>(account, IamKinds.Role, roleName, cancellationToken) ?? throw NoSuchSource(sourceArn);
            var session = new Caller(PrincipalKind.AssumedRole, account, sourceArn, role.RoleId, null, new SessionFacts(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, false, null, null) { RoleArn = role.Arn });
            var policies = await PrincipalPolicies.LoadAsync(iam.Store, iam.Policies, session, cancellationToken);
            return (policies.Identity, policies.Boundary);
        }

        var groupName = sourceArn[(sourceArn.LastIndexOf('/') + 1)..];
        var group = await iam.Store.GetAsync<IamGroup>(account, IamKinds.Group, groupName, cancellationToken) ?? throw NoSuchSource(sourceArn);
        var list = new List<CompiledPolicy>();
        foreach (var (name, document) in group.Policies.Inline)
        {
            list.Add(iam.Policies.GetOrCompile($"{group.GroupId}:inline:{name}", IamContext.Fingerprint(document) + ":" + PolicyKind.InlineGroup, document, PolicyKind.InlineGroup).GetPolicyOrThrow());
        }

        foreach (var arn in group.Policies.Managed)
        {
            if (await iam.Store.GetManagedPolicyAsync(arn, cancellationToken) is { } managed)
            {
                list.Add(iam.Policies.GetOrCompile(managed.Arn, PrincipalPolicies.ManagedVersionKey(managed) + ":" + PolicyKind.ManagedIdentity, managed.DefaultVersion.Document, PolicyKind.ManagedIdentity).GetPolicyOrThrow());
            }
        }

        return (list, null);
    }
}
