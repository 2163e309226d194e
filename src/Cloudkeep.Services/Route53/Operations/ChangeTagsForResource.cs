using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:ChangeTagsForResource: adds or replaces AddTags and removes RemoveTagKeys of a hosted
/// zone together; a zone holds at most 50 tags ("Tagging Amazon Route 53 resources").
/// </summary>
public sealed class ChangeTagsForResource(Route53Context context) : Route53Operation(context)
{
    private const int MaxTags = 50;

    public override string Operation => "ChangeTagsForResource";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Route53Tags.Target(request, Action));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var add = (Route53Input.Array(input, "AddTags") ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(t => new KeyValuePair<string, string>(Route53Input.String(t, "Key") ?? "", Route53Input.String(t, "Value") ?? ""))
            .ToList();
        var remove = (Route53Input.Array(input, "RemoveTagKeys") ?? []).Select(k => k?.GetValue<string>() ?? "").ToList();
        if (add.Any(t => t.Key.Length == 0))
        {
            throw Route53Errors.InvalidInput.ToException("1 validation error detected: Value null at 'addTags.member.key' failed to satisfy constraint: Member must not be null");
        }

        if (add.Any(t => t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
        {
            throw Route53Errors.InvalidInput.ToException("The tag key prefix 'aws:' is reserved for use by AWS.");
        }

        var zone = await Route53Tags.ZoneAsync(Context, request, cancellationToken);
        await Context.Repository.ChangeTagsAsync(
            zone.ZoneId,
            add,
            remove,
            keys =>
            {
                if (keys.Count > MaxTags)
                {
                    throw Route53Errors.InvalidInput.ToException($"A hosted zone can have at most {MaxTags} tags.");
                }
            },
            cancellationToken);
        return OperationResult.Empty;
    }
}
