using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Budgets;

/// <summary>
/// The shape Budgets' operations share. IAM knows two actions for them ("Actions defined by AWS
/// Budget Service", Service Authorization Reference): budgets:ViewBudget for the Describe
/// operations and budgets:ModifyBudget for every change, on arn:aws:budgets::ACCOUNT:budget/NAME.
/// A request names its account; Budgets refuses an account other than the caller's.
/// </summary>
public abstract class BudgetsOperation(BudgetsContext budgets) : IOperationHandler
{
    public string Service => "budgets";

    public virtual string Operation => GetType().Name;

    /// <summary>True for the operations that change budgets (budgets:ModifyBudget).</summary>
    protected abstract bool Modifies { get; }

    protected BudgetsContext Budgets { get; } = budgets;

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = request.Input.OptStr("AccountId") ?? request.Caller.AccountId;
        var name = request.Input.OptStr("BudgetName") ?? request.Input.OptObject("Budget")?.OptStr("BudgetName")
            ?? request.Input.OptObject("NewBudget")?.OptStr("BudgetName") ?? "*";
        var action = Modifies ? "budgets:ModifyBudget" : "budgets:ViewBudget";
        return ValueTask.FromResult(new AuthorizationTarget(action, [$"arn:aws:budgets::{account}:budget/{name}"]));
    }

    public async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = request.Input.Str("AccountId");
        if (account != request.Caller.AccountId)
        {
            throw BudgetsErrors.AccessDenied.ToException($"Account {request.Caller.AccountId} is not authorized to access the budgets of account {account}.");
        }

        return await HandleAsync(request, account, cancellationToken);
    }

    protected abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, string accountId, CancellationToken cancellationToken);

    /// <summary>Every problem found, as one InvalidParameterException (validators collect, then report together).</summary>
    protected static void ThrowIfInvalid(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw BudgetsErrors.InvalidParameter.ToException(string.Join(" ", problems.Distinct()));
        }
    }
}
