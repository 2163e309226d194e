using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// AWS Budgets over JSON 1.1 (X-Amz-Target AWSBudgetServiceGateway.*, SigV4 service "budgets"):
/// there is no AWSSDK.Budgets package here. Budgets is global; AWS serves it from us-east-1.
/// </summary>
public sealed class BudgetsClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    private static readonly AwsJsonCall.Service Service = new("Budgets", "budgets", "AWSBudgetServiceGateway.");

    public Task<JsonObject> CallAsync(string action, JsonObject input, CancellationToken cancellationToken) =>
        AwsJsonCall.SendAsync(http, endpoint, credentials, time, Service, "us-east-1", action, input, (code, message) => new BudgetsException(action, code, message), cancellationToken);
}

public sealed class BudgetsException(string action, string code, string message) : Exception($"Budgets {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
