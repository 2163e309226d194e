using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Creates a budget, with its notifications and their subscribers when given (budgets:ModifyBudget).</summary>
public sealed class CreateBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (request.Input.OptArray("ResourceTags") is { Count: > 0 })
        {
            throw Core.Errors.CommonErrors.NotImplemented.ToException("Cloudkeep does not tag budgets.");
        }

        var notifications = new List<BudgetNotification>();
        foreach (var pair in request.Input.OptArray("NotificationsWithSubscribers").Objects())
        {
            var notification = BudgetInput.Notification(pair.OptObject("Notification"), BudgetInput.Subscribers(pair.OptArray("Subscribers"), problems), problems);
            if (notifications.Any(n => n.SameAs(notification)))
            {
                problems.Add("A budget's notifications must be distinct.");
            }

            notifications.Add(notification);
        }

        var budget = BudgetInput.Budget(request.Input.OptObject("Budget") ?? new JsonObject(), Budgets.Time.GetUtcNow(), notifications, problems);
        ThrowIfInvalid(problems);
        if (notifications.Count > 10)
        {
            throw BudgetsErrors.CreationLimitExceeded.ToException("A budget can have up to 10 notifications.");
        }

        if (!await Budgets.Repository.InsertAsync(accountId, budget.Name, BudgetsContext.Serialize(budget), cancellationToken))
        {
            throw BudgetsErrors.DuplicateRecord.ToException($"Error creating budget: {budget.Name} - the budget already exists.");
        }

        return OperationResult.Empty;
    }
}
