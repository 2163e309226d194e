using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>The subscribers of a budget's notification (budgets:ViewBudget).</summary>
public sealed class DescribeSubscribersForNotification(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        BudgetsPaging.PageSize(request.Input, 100, 100);
        var problems = new List<string>();
        var wanted = NotificationLookup.Named(request.Input.OptObject("Notification"), problems);
        ThrowIfInvalid(problems);
        var budget = await Budgets.GetAsync(accountId, request.Input.Str("BudgetName"), cancellationToken);
        var notification = budget.Notifications[NotificationLookup.Require(budget, wanted)];
        var (page, next) = BudgetsPaging.ByOffset(notification.Subscribers, BudgetsPaging.Subscribers, request.Input);
        var output = new JsonObject { ["Subscribers"] = new JsonArray([.. page.Select(s => (JsonNode)BudgetOutput.Subscriber(s))]) };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return new OperationResult(output);
    }
}
