using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

public sealed class DescribeCreateAccountStatus(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var id = request.Input.Str("CreateAccountRequestId");
        var status = await Organizations.Iam.Store.GetAsync<CreateAccountState>(ids.ManagementAccountId, CreateAccount.StatusKind, id, cancellationToken)
            ?? throw OrganizationsErrors.CreateAccountStatusNotFound.ToException();
        return new OperationResult(new JsonObject { ["CreateAccountStatus"] = status.ToOutput() });
    }
}
