using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>A budget's notifications with their state (budgets:ViewBudget).</summary>
public sealed class DescribeNotificationsForBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        RefuseNextToken(request);
        var budget = await Budgets.GetAsync(accountId, request.Input.Str("BudgetName"), cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["Notifications"] = new JsonArray([.. budget.Notifications.Select(n => (JsonNode)BudgetOutput.Notification(n))]),
        });
    }
}
