using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Adds a notification with its subscribers to a budget (budgets:ModifyBudget).</summary>
public sealed class CreateNotification(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var notification = BudgetInput.Notification(request.Input.OptObject("Notification"), BudgetInput.Subscribers(request.Input.OptArray("Subscribers"), problems), problems);
        ThrowIfInvalid(problems);
        await Budgets.UpdateAsync(accountId, request.Input.Str("BudgetName"), budget =>
        {
            if (NotificationLookup.IndexOf(budget, notification) >= 0)
            {
                throw BudgetsErrors.DuplicateRecord.ToException($"Error creating notification for budget {budget.Name}: the notification already exists.");
            }

            if (budget.Notifications.Count >= 10)
            {
                throw BudgetsErrors.CreationLimitExceeded.ToException("A budget can have up to 10 notifications.");
            }

            return NotificationLookup.With(budget, -1, notification, Budgets.Time.GetUtcNow());
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
