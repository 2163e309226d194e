using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class DescribeAccount(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    protected override string Resource(OperationRequest request, OrganizationContext.Ids ids) =>
        OrganizationContext.AccountArn(ids, request.Input.OptStr("AccountId") ?? "");

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var account = await Organizations.Accounts.GetAsync(request.Input.Str("AccountId"), cancellationToken)
            ?? throw OrganizationsErrors.AccountNotFound.ToException();
        return new OperationResult(new JsonObject { ["Account"] = OrganizationContext.Account(ids, account) });
    }
}
