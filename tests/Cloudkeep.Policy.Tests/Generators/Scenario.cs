using System.Text.Json.Nodes;

namespace Cloudkeep.Policy.Tests.Generators;

/// <summary>A generated request with its policies, kept as JSON so the same case can be fed to other evaluators.</summary>
internal sealed record Scenario(
    string PrincipalArn,
    string Action,
    string Resource,
    string? ResourceAccount,
    IReadOnlyList<(string Key, string[] Values)> Context,
    IReadOnlyList<JsonObject> Identity,
    JsonObject? Boundary,
    JsonObject? ResourcePolicy,
    IReadOnlyList<IReadOnlyList<JsonObject>>? Scps,
    JsonObject? Session = null)
{
    public const string AnonymousArn = "anonymous";

    public EvaluationRequest ToRequest()
    {
        var context = RequestContext.Empty;
        foreach (var (key, values) in Context)
        {
            context = context.With(key, values);
        }

        return new EvaluationRequest
        {
            Principal = PrincipalArn == AnonymousArn ? PrincipalInfo.Anonymous : PrincipalInfo.FromArn(PrincipalArn),
            Action = Action,
            Resource = Resource,
            ResourceAccount = ResourceAccount,
            Context = context,
            IdentityPolicies = [.. Identity.Select((p, i) => Compile(p, PolicyKind.ManagedIdentity, $"identity-{i}"))],
            PermissionsBoundary = Boundary is null ? null : Compile(Boundary, PolicyKind.Boundary, "boundary"),
            ResourcePolicy = ResourcePolicy is null ? null : Compile(ResourcePolicy, PolicyKind.Bucket, "resource"),
            SessionPolicies = Session is null ? null : [Compile(Session, PolicyKind.SessionPolicy, "session")],
            ScpLevels = Scps?.Select((level, li) => (IReadOnlyList<CompiledPolicy>)[.. level.Select((p, i) => Compile(p, PolicyKind.Scp, $"scp-{li}-{i}"))]).ToList(),
        };
    }

    public Scenario WithIdentity(JsonObject policy) => this with { Identity = [.. Identity, policy] };

    private static CompiledPolicy Compile(JsonObject policy, PolicyKind kind, string id) =>
        PolicyDocument.Parse(policy.ToJsonString(), kind, id).GetPolicyOrThrow();

    public override string ToString() => new JsonObject
    {
        ["principal"] = PrincipalArn,
        ["action"] = Action,
        ["resource"] = Resource,
        ["resourceAccount"] = ResourceAccount,
        ["context"] = new JsonObject(Context.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonArray([.. c.Values.Select(v => (JsonNode?)v)])))),
        ["identity"] = new JsonArray([.. Identity.Select(p => (JsonNode?)p.DeepClone())]),
        ["boundary"] = Boundary?.DeepClone(),
        ["session"] = Session?.DeepClone(),
        ["resourcePolicy"] = ResourcePolicy?.DeepClone(),
        ["scps"] = Scps is null ? null : new JsonArray([.. Scps.Select(l => (JsonNode?)new JsonArray([.. l.Select(p => (JsonNode?)p.DeepClone())]))]),
    }.ToJsonString();
}
