using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>The account's budgets, in name order, with their spend so far (budgets:ViewBudget).</summary>
public sealed class DescribeBudgets(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        RefuseNextToken(request);
        var rows = await Budgets.Repository.ListAsync(accountId, cancellationToken);
        var answered = new JsonArray();
        foreach (var (_, document) in rows)
        {
            var budget = BudgetsContext.Deserialize(document);
            answered.Add(BudgetOutput.Budget(budget, await Budgets.ActualSpendAsync(accountId, budget, cancellationToken)));
        }

        return new OperationResult(new JsonObject { ["Budgets"] = answered });
    }
}
