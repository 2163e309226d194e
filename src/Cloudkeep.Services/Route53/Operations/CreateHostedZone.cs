using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53.Operations;

/// <summary>
/// route53:CreateHostedZone. Public zones get a delegation set and are answered by the DNS listener;
/// a zone with a VPC is private (kept and listed, never answered publicly). A CallerReference the
/// account has used before is HostedZoneAlreadyExists, which is how AWS keeps a retried request from
/// making a second zone.
/// </summary>
public sealed partial class CreateHostedZone(Route53Context context) : Route53Operation(context)
{
    public override string Operation => "CreateHostedZone";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var input = Input(request);
        var account = request.Caller.AccountId;
        var nameText = Route53Input.String(input, "Name");
        var name = DnsNames.Normalize(nameText, out var problem)
            ?? throw Route53Errors.InvalidDomainName.ToException($"{problem} ({nameText})");
        if (name == ".")
        {
            throw Route53Errors.InvalidDomainName.ToException("The root domain cannot be a hosted zone.");
        }

        var reference = Route53Input.String(input, "CallerReference") ?? "";
        if (Route53Input.String(input, "DelegationSetId") is { } delegationSet)
        {
            // Cloudkeep makes no reusable delegation sets (CreateReusableDelegationSet is not implemented), so none can be named.
            throw Route53Errors.NoSuchDelegationSet.ToException($"A reusable delegation set with the specified ID does not exist: {delegationSet}");
        }

        var config = Route53Input.Object(input, "HostedZoneConfig");
        var vpc = Route53Input.Object(input, "VPC");
        var privateZone = vpc is not null;
        if (config is not null && Route53Input.Boolean(config, "PrivateZone") == true && vpc is null)
        {
            throw Route53Errors.InvalidInput.ToException("When you're creating a private hosted zone (when you specify true for PrivateZone), you must also specify values for VPCId and VPCRegion.");
        }

        string? vpcId = null;
        string? vpcRegion = null;
        if (vpc is not null)
        {
            vpcId = Route53Input.String(vpc, "VPCId");
            vpcRegion = Route53Input.String(vpc, "VPCRegion");
            if (vpcId is null || !VpcIdPattern().IsMatch(vpcId))
            {
                throw Route53Errors.InvalidVpcId.ToException();
            }

            if (vpcRegion is null)
            {
                throw Route53Errors.InvalidInput.ToException("Invalid request: Missing field 'VPCRegion' in VPC.");
            }
        }

        if (await Context.Repository.FindZoneByReferenceAsync(account, reference, cancellationToken) is not null)
        {
            throw Route53Errors.HostedZoneAlreadyExists.ToException();
        }

        var zoneId = Route53Ids.NewZoneId();
        var nameServers = Route53Context.NameServersFor(zoneId);
        var zone = new Route53ZoneRecord(
            zoneId, account, name, reference, config is null ? null : Route53Input.String(config, "Comment"), privateZone, vpcId, vpcRegion, nameServers, Context.Now);
        var change = Context.NewChange(account, null);
        var apex = Route53Context.ApexRecordSets(name, nameServers);
        if (!await Context.Repository.CreateZoneAsync(zone, apex, change, cancellationToken))
        {
            // Another request with the same reference got there first.
            throw Route53Errors.HostedZoneAlreadyExists.ToException();
        }

        Context.NoteChanged();
        var output = new JsonObject
        {
            ["HostedZone"] = Route53Outputs.Zone(zone, apex.Count),
            ["ChangeInfo"] = Route53Outputs.ChangeInfo(change, Context.Now),
            ["Location"] = "https://route53.amazonaws.com/2013-04-01/hostedzone/" + zoneId,
        };
        if (privateZone)
        {
            output["VPC"] = Route53Outputs.Vpc(zone);
        }
        else
        {
            output["DelegationSet"] = Route53Outputs.DelegationSet(zone);
        }

        return new OperationResult(output);
    }

    [GeneratedRegex("^vpc-[0-9a-f]{8,17}$")]
    private static partial Regex VpcIdPattern();
}
