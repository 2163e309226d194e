using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:GetContextKeysForPrincipalPolicy and iam:GetContextKeysForCustomPolicy: the condition keys
/// the policies use (what SimulatePrincipalPolicy may need as ContextEntries), each once.
/// </summary>
public sealed class GetContextKeys(IamContext iam, bool principal) : IamOperation(iam)
{
    public override string Operation => principal ? "GetContextKeysForPrincipalPolicy" : "GetContextKeysForCustomPolicy";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(principal ? request.Input.Str("PolicySourceArn") : "*");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var documents = request.Input.OptArray("PolicyInputList").Strings().ToList();
        if (principal)
        {
            var source = request.Input.Str("PolicySourceArn");
            var (identity, boundary) = await PolicySimulator.SourcePoliciesAsync(Iam, source, cancellationToken);
            documents.AddRange(identity.Select(p => p.Source));
            if (boundary is not null)
            {
                documents.Add(boundary.Source);
            }
        }

        var keys = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in documents)
        {
            Collect(document, keys);
        }

        return new OperationResult(new JsonObject { ["ContextKeyNames"] = new JsonArray([.. keys.Select(k => (JsonNode)JsonValue.Create(k))]) });
    }

    private static void Collect(string document, SortedSet<string> keys)
    {
        // The operation's one documented error is InvalidInput: a document that is not a JSON
        // object (or holds text JSON cannot carry, such as a lone surrogate escape) gets it.
        try
        {
            using var json = JsonDocument.Parse(document);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw IamErrors.InvalidInput.ToException("Syntax errors in policy.");
            }

            CollectStatements(json.RootElement, keys);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw IamErrors.InvalidInput.ToException("Syntax errors in policy.");
        }
    }

    private static void CollectStatements(JsonElement root, SortedSet<string> keys)
    {
        if (!root.TryGetProperty("Statement", out var statements))
        {
            return;
        }

        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
        {
            if (statement.ValueKind == JsonValueKind.Object && statement.TryGetProperty("Condition", out var condition) && condition.ValueKind == JsonValueKind.Object)
            {
                foreach (var block in condition.EnumerateObject())
                {
                    if (block.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var key in block.Value.EnumerateObject())
                        {
                            keys.Add(key.Name);
                        }
                    }
                }
            }
        }
    }
}
