using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Replaces a budget's definition; its notifications, subscribers and their state stay (budgets:ModifyBudget).</summary>
public sealed class UpdateBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var updated = BudgetInput.Budget(request.Input.OptObject("NewBudget") ?? new JsonObject(), Budgets.Time.GetUtcNow(), [], problems);
        ThrowIfInvalid(problems);
        await Budgets.UpdateAsync(accountId, updated.Name, current => updated with { Notifications = current.Notifications }, cancellationToken);
        return OperationResult.Empty;
    }
}
