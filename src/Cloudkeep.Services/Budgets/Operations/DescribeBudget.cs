using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>A budget with its spend so far this period and the forecast for the whole period (budgets:ViewBudget).</summary>
public sealed class DescribeBudget(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var budget = await Budgets.GetAsync(accountId, request.Input.Str("BudgetName"), cancellationToken);
        var spend = await Budgets.ActualSpendAsync(accountId, budget, cancellationToken);
        var forecast = await Budgets.ForecastedSpendAsync(accountId, budget, cancellationToken);
        return new OperationResult(new JsonObject { ["Budget"] = BudgetOutput.Budget(budget, spend, forecast) });
    }
}
