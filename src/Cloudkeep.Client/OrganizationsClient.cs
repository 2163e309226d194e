using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// Organizations over JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.*, SigV4 service
/// "organizations", us-east-1): there is no AWSSDK.Organizations package here.
/// </summary>
public sealed class OrganizationsClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    private static readonly AwsJsonCall.Service Service = new("Organizations", "organizations", "AWSOrganizationsV20161128.");

    public Task<JsonObject> CallAsync(string action, JsonObject input, CancellationToken cancellationToken) =>
        AwsJsonCall.SendAsync(http, endpoint, credentials, time, Service, "us-east-1", action, input, (code, message) => new OrganizationsException(action, code, message), cancellationToken);

    /// <summary>Makes the organization (all features) when the caller's account has none yet, as the first account, OU or SCP needs one.</summary>
    public async Task EnsureOrganizationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("DescribeOrganization", [], cancellationToken);
        }
        catch (OrganizationsException e) when (e.Code == "AWSOrganizationsNotInUseException")
        {
            await CallAsync("CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" }, cancellationToken);
        }
    }

    /// <summary>The organization's root (its Id and PolicyTypes), or null without an organization.</summary>
    public async Task<JsonObject?> RootAsync(CancellationToken cancellationToken) =>
        (await ListAsync("ListRoots", [], "Roots", cancellationToken)).FirstOrDefault();

    /// <summary>The root's id, or null without an organization.</summary>
    public async Task<string?> RootIdAsync(CancellationToken cancellationToken) =>
        (await RootAsync(cancellationToken))?["Id"]?.GetValue<string>();

    /// <summary>Every account of the organization (NextToken paging), or none when there is no organization yet.</summary>
    public Task<List<JsonObject>> ListAccountsAsync(CancellationToken cancellationToken) =>
        ListAsync("ListAccounts", [], "Accounts", cancellationToken);

    /// <summary>Every item of a paged List* call (NextToken), or none when there is no organization yet.</summary>
    public async Task<List<JsonObject>> ListAsync(string action, JsonObject input, string member, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? token = null;
        do
        {
            var call = (JsonObject)input.DeepClone();
            if (token is not null)
            {
                call["NextToken"] = token;
            }

            JsonObject answer;
            try
            {
                answer = await CallAsync(action, call, cancellationToken);
            }
            catch (OrganizationsException e) when (e.Code == "AWSOrganizationsNotInUseException")
            {
                return items;
            }

            items.AddRange((answer[member]?.AsArray() ?? []).OfType<JsonObject>());
            token = answer["NextToken"]?.GetValue<string>();
        }
        while (token is not null);
        return items;
    }
}

/// <summary>An Organizations error answer.</summary>
public sealed class OrganizationsException(string action, string code, string message) : Exception($"Organizations {action}: {code}: {message}")
{
    public string Code { get; } = code;
}
