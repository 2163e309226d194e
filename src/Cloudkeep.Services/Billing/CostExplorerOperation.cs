using System.Globalization;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Billing;

/// <summary>
/// The shape Cost Explorer's operations share: action ce:&lt;Operation&gt; on "*" (Cost Explorer's
/// read operations have no resource-level permissions), answered from the metered usage of the
/// accounts the caller's account pays for, whatever region the request was signed for (Cost
/// Explorer is served from us-east-1 only).
/// </summary>
public abstract class CostExplorerOperation(CostExplorerContext costs) : IOperationHandler
{
    public string Service => "ce";

    public virtual string Operation => GetType().Name;

    protected CostExplorerContext Costs { get; } = costs;

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new AuthorizationTarget("ce:" + Operation, ["*"]));

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>Every problem found, as one ValidationException (validators collect, then report together).</summary>
    protected static void ThrowIfInvalid(List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw CostExplorerErrors.Validation.ToException(string.Join(" ", problems.Distinct().Select(p => p.EndsWith('.') ? p : p + ".")));
        }
    }

    public static string Amount(decimal amount) => amount.ToString("0.############", CultureInfo.InvariantCulture);
}
