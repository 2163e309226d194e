using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>A budget's notifications with their state (budgets:ViewBudget).</summary>
public sealed class DescribeNotificationsForBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        BudgetsPaging.PageSize(request.Input, 100, 100);
        var budget = await Budgets.GetAsync(accountId, request.Input.Str("BudgetName"), cancellationToken);
        var (page, next) = BudgetsPaging.ByOffset(budget.Notifications, BudgetsPaging.Notifications, request.Input);
        var output = new JsonObject { ["Notifications"] = new JsonArray([.. page.Select(n => (JsonNode)BudgetOutput.Notification(n))]) };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return new OperationResult(output);
    }
}
