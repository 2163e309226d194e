using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>organizations:DescribeOrganization; every account of the organization may call it.</summary>
public sealed class DescribeOrganization(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    /// <summary>Any account of the organization may ask (a member account is told AlreadyInOrganization or sees its organization).</summary>
    protected override bool ManagementAccountOnly => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await Organizations.GetIdsAsync(cancellationToken);
        var management = await Organizations.Accounts.GetAsync(ids.ManagementAccountId, cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["Organization"] = new JsonObject
            {
                ["Id"] = ids.OrganizationId,
                ["Arn"] = OrganizationContext.OrganizationArn(ids),
                ["FeatureSet"] = "ALL",
                ["MasterAccountArn"] = OrganizationContext.AccountArn(ids, ids.ManagementAccountId),
                ["MasterAccountId"] = ids.ManagementAccountId,
                ["MasterAccountEmail"] = management?.Email ?? "",
                ["AvailablePolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
            },
        });
    }
}
