using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Policy.Tests.Corpus;

/// <summary>Loads the table-driven cases under Corpus/*.json; every case names the AWS page it comes from.</summary>
internal static class CorpusLoader
{
    public const string DefaultPrincipal = "arn:aws:iam::111122223333:user/alice";
    public const string DefaultAction = "s3:GetObject";
    public const string DefaultResource = "arn:aws:s3:::amzn-s3-demo-bucket/photo.jpg";

    private static readonly Lazy<Dictionary<string, JsonObject>> Cases = new(Load);

    public static IEnumerable<object[]> Names(string prefix) =>
        Cases.Value.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(k => new object[] { k });

    public static int Count => Cases.Value.Count;

    public static JsonObject Get(string name) => Cases.Value[name];

    private static Dictionary<string, JsonObject> Load()
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var dir = Path.Combine(AppContext.BaseDirectory, "Corpus");
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var prefix = Path.GetFileNameWithoutExtension(file);
            var array = JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsArray();
            foreach (var node in array)
            {
                var obj = node!.AsObject();
                var name = $"{prefix}: {(string)obj["name"]!}";
                if (!result.TryAdd(name, obj))
                {
                    throw new InvalidOperationException($"Duplicate corpus case name: {name}");
                }
            }
        }

        return result;
    }

    /// <summary>A policy in the corpus is a full document, or just its statement list (then Version 2012-10-17).</summary>
    public static string PolicyJson(JsonNode node) => node is JsonArray statements
        ? new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements.DeepClone() }.ToJsonString()
        : node.ToJsonString();

    public static CompiledPolicy Compile(JsonNode node, PolicyKind kind, string id) =>
        PolicyDocument.Parse(PolicyJson(node), kind, id).GetPolicyOrThrow();

    public static EvaluationRequest BuildRequest(JsonObject c)
    {
        var principalArn = (string?)c["principal"] ?? DefaultPrincipal;
        var principal = (string?)c["principalType"] switch
        {
            "Anonymous" => PrincipalInfo.Anonymous,
            "Service" => new PrincipalInfo(PrincipalType.Service, principalArn, null),
            "WebIdentity" => new PrincipalInfo(PrincipalType.WebIdentity, principalArn, null),
            _ => PrincipalInfo.FromArn(principalArn),
        };
        if (c["roleArn"] is JsonNode role)
        {
            principal = principal with { RoleArn = (string)role! };
        }

        if (c["canonicalUser"] is JsonNode canonical)
        {
            principal = principal with { CanonicalUserId = (string)canonical! };
        }

        var context = RequestContext.Empty;
        if (c["context"] is JsonObject ctx)
        {
            foreach (var (key, value) in ctx)
            {
                context = value is JsonArray arr
                    ? context.With(key, [.. arr.Select(x => (string)x!)])
                    : context.With(key, value!.ToString());
            }
        }

        var identity = new List<CompiledPolicy>();
        if (c["condition"] is JsonNode condition)
        {
            var statement = new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*", ["Condition"] = condition.DeepClone() };
            identity.Add(Compile(new JsonArray(statement), PolicyKind.ManagedIdentity, "condition-policy"));
        }

        if (c["identity"] is JsonArray policies)
        {
            var i = 0;
            foreach (var p in policies)
            {
                identity.Add(Compile(p!, PolicyKind.ManagedIdentity, $"identity-{i++}"));
            }
        }

        return new EvaluationRequest
        {
            Principal = principal,
            Action = (string?)c["action"] ?? DefaultAction,
            Resource = (string?)c["resource"] ?? DefaultResource,
            ResourceAccount = (string?)c["resourceAccount"],
            Context = context,
            IdentityPolicies = identity,
            PermissionsBoundary = c["boundary"] is JsonNode b ? Compile(b, PolicyKind.Boundary, "boundary") : null,
            SessionPolicies = c["session"] is JsonArray s ? [.. s.Select((x, i) => Compile(x!, PolicyKind.SessionPolicy, $"session-{i}"))] : null,
            ResourcePolicy = c["resourcePolicy"] is JsonNode r
                ? Compile(r, Enum.Parse<PolicyKind>((string?)c["resourcePolicyKind"] ?? "Bucket"), "resource-policy")
                : null,
            ScpLevels = c["scps"] is JsonArray levels
                ? [.. levels.Select((level, li) => (IReadOnlyList<CompiledPolicy>)[.. level!.AsArray().Select((x, i) => Compile(x!, PolicyKind.Scp, $"scp-{li}-{i}"))])]
                : null,
            ResourcePolicyRequired = (bool?)c["resourcePolicyRequired"] ?? false,
        };
    }
}
