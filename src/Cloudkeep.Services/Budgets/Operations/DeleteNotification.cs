using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Removes a notification and its subscribers from a budget (budgets:ModifyBudget).</summary>
public sealed class DeleteNotification(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var wanted = NotificationLookup.Named(request.Input.OptObject("Notification"), problems);
        ThrowIfInvalid(problems);
        await Budgets.UpdateAsync(
            accountId, request.Input.Str("BudgetName"), budget => NotificationLookup.With(budget, NotificationLookup.Require(budget, wanted), null, Budgets.Time.GetUtcNow()), cancellationToken);
        return OperationResult.Empty;
    }
}
