using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>route53:GetChange: PENDING for <see cref="Route53Context.PropagationDelay"/> after submission, INSYNC after, by the injected clock.</summary>
public sealed class GetChange(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "GetChange";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var text = Route53Input.String(Input(request), "Id") ?? "";
        var id = text.StartsWith(Route53Ids.ChangePrefix, StringComparison.Ordinal) ? text[Route53Ids.ChangePrefix.Length..] : text;
        return ValueTask.FromResult(new AuthorizationTarget(Action, [Route53Ids.ChangeArn(id)]));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var text = Route53Input.String(Input(request), "Id");
        var id = Route53Ids.Change(text);
        var change = id is null ? null : await Context.Repository.GetChangeAsync(id, cancellationToken);
        if (change is null || change.AccountId != request.Caller.AccountId)
        {
            throw Route53Errors.NoSuchChange.ToException($"A change with the specified change ID does not exist: {text}");
        }

        return new OperationResult(new JsonObject { ["ChangeInfo"] = Route53Outputs.ChangeInfo(change, Context.Now) });
    }
}
