using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>The subscribers of a budget's notification (budgets:ViewBudget).</summary>
public sealed class DescribeSubscribersForNotification(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        RefuseNextToken(request);
        var problems = new List<string>();
        var wanted = NotificationLookup.Named(request.Input.OptObject("Notification"), problems);
        ThrowIfInvalid(problems);
        var budget = await Budgets.GetAsync(accountId, request.Input.Str("BudgetName"), cancellationToken);
        var notification = budget.Notifications[NotificationLookup.Require(budget, wanted)];
        return new OperationResult(new JsonObject
        {
            ["Subscribers"] = new JsonArray([.. notification.Subscribers.Select(s => (JsonNode)BudgetOutput.Subscriber(s))]),
        });
    }
}
