using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets.Operations;

/// <summary>The account's budgets, in name order, with their spend so far (budgets:ViewBudget).</summary>
public sealed class DescribeBudgets(BudgetsContext budgets) : BudgetsOperation(budgets)
{
    protected override bool Modifies => false;

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken)
    {
        var rows = await Budgets.Repository.ListAsync(accountId, cancellationToken);
        var (page, next) = BudgetsPaging.ByName([.. rows.Select(r => BudgetsContext.Deserialize(r.Document))], b => b.Name, request.Input);
        var answered = new JsonArray();
        foreach (var budget in page)
        {
            answered.Add(BudgetOutput.Budget(budget, await Budgets.ActualSpendAsync(accountId, budget, cancellationToken)));
        }

        var output = new JsonObject { ["Budgets"] = answered };
        if (next is not null)
        {
            output["NextToken"] = next;
        }

        return new OperationResult(output);
    }
}
