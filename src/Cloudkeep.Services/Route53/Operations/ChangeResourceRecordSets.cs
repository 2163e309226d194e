using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:ChangeResourceRecordSets: CREATE, DELETE and UPSERT changes applied together in one
/// transaction or not at all ("the changes in a batch are applied as a single transaction"), with
/// the batch's record names, types and actions as condition keys.
/// </summary>
public sealed class ChangeResourceRecordSets(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "ChangeResourceRecordSets";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var batch = Route53Input.Object(Input(request), "ChangeBatch");
        var changes = batch is null ? null : Route53Input.Array(batch, "Changes");
        return ValueTask.FromResult(ForZone(request, "HostedZoneId", ChangeBatchPlanner.ConditionKeys(changes)));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var zone = await Context.ZoneOfAsync(request.Caller.AccountId, Route53Input.String(input, "HostedZoneId"), cancellationToken);
        var batch = Route53Input.Object(input, "ChangeBatch") ?? [];
        var changes = ChangeBatchPlanner.Parse(Route53Input.Array(batch, "Changes") ?? []);
        var change = Context.NewChange(request.Caller.AccountId, Route53Input.String(batch, "Comment"));
        await Context.Repository.ApplyChangesAsync(zone.ZoneId, current => ChangeBatchPlanner.Plan(zone.Name, current, changes), change, cancellationToken);
        Context.NoteChanged();
        return new OperationResult(new JsonObject { ["ChangeInfo"] = Route53Outputs.ChangeInfo(change, Context.Now) });
    }
}
