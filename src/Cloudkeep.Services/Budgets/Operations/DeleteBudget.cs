using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>Deletes a budget with its notifications and subscribers (budgets:ModifyBudget).</summary>
public sealed class DeleteBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => true;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var name = request.Input.Str("BudgetName");
        if (!await Budgets.Repository.DeleteAsync(accountId, name, cancellationToken))
        {
            throw BudgetsErrors.NotFound.ToException($"Unable to delete budget: {name} - the budget doesn't exist.");
        }

        return OperationResult.Empty;
    }
}
