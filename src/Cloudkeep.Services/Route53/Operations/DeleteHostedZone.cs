using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:DeleteHostedZone: only a zone holding nothing but its apex SOA and NS record sets
/// ("you must delete all the records except the default SOA and NS records first"), else HostedZoneNotEmpty.
/// </summary>
public sealed class DeleteHostedZone(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "DeleteHostedZone";

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ForZone(request, "Id"));

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var zone = await Context.ZoneOfAsync(request.Caller.AccountId, Route53Input.String(Input(request), "Id"), cancellationToken);
        var change = Context.NewChange(request.Caller.AccountId, null);
        var deleted = await Context.Repository.DeleteZoneAsync(
            zone.ZoneId,
            sets => sets.All(s => s.Name == zone.Name && s.Type is "SOA" or "NS" && s.SetIdentifier.Length == 0),
            change,
            cancellationToken);
        if (!deleted)
        {
            throw Route53Errors.HostedZoneNotEmpty.ToException();
        }

        Context.NoteChanged();
        return new OperationResult(new JsonObject { ["ChangeInfo"] = Route53Outputs.ChangeInfo(change, Context.Now) });
    }
}
