using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Replaces a notification's definition, keeping its subscribers; its state starts again (budgets:ModifyBudget).</summary>
public sealed class UpdateNotification(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var old = NotificationLookup.Named(request.Input.OptObject("OldNotification"), problems);
        var replacement = NotificationLookup.Named(request.Input.OptObject("NewNotification"), problems);
        ThrowIfInvalid(problems);
        await Budgets.UpdateAsync(accountId, request.Input.Str("BudgetName"), budget =>
        {
            var index = NotificationLookup.Require(budget, old);
            if (!old.SameAs(replacement) && NotificationLookup.IndexOf(budget, replacement) >= 0)
            {
                throw BudgetsErrors.DuplicateRecord.ToException($"Error updating notification for budget {budget.Name}: the new notification already exists.");
            }

            var updated = replacement with { Subscribers = budget.Notifications[index].Subscribers };
            return NotificationLookup.With(budget, index, updated, Budgets.Time.GetUtcNow());
        }, cancellationToken);
        return OperationResult.Empty;
    }
}
