using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// Organizations over JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.*, SigV4 service
/// "organizations", us-east-1): there is no AWSSDK.Organizations package here.
/// </summary>
public sealed class OrganizationsClient(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    public async Task<JsonObject> CallAsync(string action, JsonObject input, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSOrganizationsV20161128.{action}");
        SigV4.Sign(request, body, await credentials.GetCredentialsAsync(), "us-east-1", "organizations", time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            answer = null;
        }

        if (answer is null)
        {
            throw new UnreadableAnswerException($"Organizations {action}: HTTP {(int)response.StatusCode} with an answer that is not JSON");
        }

        if (!response.IsSuccessStatusCode)
        {
            // __type may carry a namespace prefix ("com.amazonaws...#Code"), as botocore strips it.
            var type = answer["__type"]?.GetValue<string>() ?? $"HTTP{(int)response.StatusCode}";
            var message = (answer["message"] ?? answer["Message"])?.GetValue<string>() ?? "";
            throw new OrganizationsException(action, type[(type.LastIndexOf('#') + 1)..], message);
        }

        return answer;
    }

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
