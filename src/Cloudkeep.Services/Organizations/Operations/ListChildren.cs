using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:ListChildren: the accounts or the OUs (ChildType) directly under a root or OU.</summary>
public sealed class ListChildren(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ParentId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var parent = request.Input.Str("ParentId");
        await Units.RequireParentAsync(ids, parent, cancellationToken);

        var type = request.Input.Str("ChildType");
        var children = new List<JsonNode>();
        if (type == "ORGANIZATIONAL_UNIT")
        {
            children.AddRange((await Units.ListAsync(cancellationToken)).Where(u => u.ParentId == parent).OrderBy(u => u.Id, StringComparer.Ordinal)
                .Select(u => (JsonNode)new JsonObject { ["Id"] = u.Id, ["Type"] = type }));
        }
        else
        {
            children.AddRange((await Units.AccountsUnderAsync(ids, parent, cancellationToken)).Select(a => (JsonNode)new JsonObject { ["Id"] = a.AccountId, ["Type"] = "ACCOUNT" }));
        }

        return OrganizationsPaging.Result("Children", children, request.Input);
    }
}
