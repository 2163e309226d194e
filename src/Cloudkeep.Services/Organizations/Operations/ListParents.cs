using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:ListParents: the root or OU directly above an account or OU (always one).</summary>
public sealed class ListParents(OrganizationContext organizations) : OrganizationalUnitOperation(organizations)
{
    protected override string? ResourceMember => "ChildId";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var child = request.Input.Str("ChildId");
        string parent;
        if (child.StartsWith("ou-", StringComparison.Ordinal))
        {
            parent = (await Units.GetAsync(child, cancellationToken) ?? throw OrganizationsErrors.ChildNotFound.ToException()).ParentId;
        }
        else
        {
            _ = await Organizations.Accounts.GetAsync(child, cancellationToken) ?? throw OrganizationsErrors.ChildNotFound.ToException();
            parent = await Units.ParentOfAccountAsync(ids, child, cancellationToken);
        }

        var shape = new JsonObject { ["Id"] = parent, ["Type"] = parent == ids.RootId ? "ROOT" : "ORGANIZATIONAL_UNIT" };
        return OrganizationsPaging.Result("Parents", [shape], request.Input);
    }
}
