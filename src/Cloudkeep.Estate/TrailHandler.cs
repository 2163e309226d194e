using System.Globalization;
using System.Text.Json.Nodes;

namespace Cloudkeep.Estate;

/// <summary>
/// CloudTrail trails of the account, found by name among ListTrails' own trails (an organization's
/// trail seen from a member is the management account's, not this one's). Each call goes to the
/// trail's home region: CloudTrail changes a trail only there. The home region is fixed at creation.
/// </summary>
internal sealed class TrailHandler(EstateConnection connection) : IResourceHandler
{
    /// <summary>What a trail may say; export writes them in this order.</summary>
    internal static readonly string[] Keys = ["region", "bucket", "multiRegion", "logFileValidation", "logging"];

    public IReadOnlyCollection<string> FixedFields => ["region"];

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await FindAsync(desired.Name, cancellationToken) is not { } found)
        {
            return null;
        }

        var trail = (await CallAsync("GetTrail", found.Region, new JsonObject { ["Name"] = found.Arn }, cancellationToken))["Trail"] as JsonObject ?? [];
        var status = await CallAsync("GetTrailStatus", found.Region, new JsonObject { ["Name"] = found.Arn }, cancellationToken);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["region"] = found.Region,
            ["bucket"] = trail["S3BucketName"]?.GetValue<string>() ?? "",
            ["multiRegion"] = Flag(trail["IsMultiRegionTrail"]),
            ["logFileValidation"] = Flag(trail["LogFileValidationEnabled"]),
            ["logging"] = Flag(status["IsLogging"]),
        };
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await OwnAsync(cancellationToken)).Select(t => t.Name).Order(StringComparer.Ordinal)];

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var region = Region(resolved);
        // The bucket is created before (buckets come first in apply's order); CreateTrail checks its policy.
        var created = await CallAsync("CreateTrail", region, Settings(resolved.Fields, new JsonObject { ["Name"] = resolved.Name }), cancellationToken);
        var arn = created["TrailARN"]?.GetValue<string>() ?? resolved.Name;
        journal.Done("CreateTrail", () => CallAsync("DeleteTrail", region, new JsonObject { ["Name"] = arn }, CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var (region, arn) = (await FindAsync(resolved.Name, cancellationToken))!.Value;
        if (fields.Any(f => f is "bucket" or "multiRegion" or "logFileValidation"))
        {
            var wanted = resolved.Fields.Where(f => fields.Contains(f.Key)).ToDictionary(StringComparer.Ordinal);
            var before = live.Where(f => fields.Contains(f.Key)).ToDictionary(StringComparer.Ordinal);
            await CallAsync("UpdateTrail", region, Settings(wanted, new JsonObject { ["Name"] = arn }), cancellationToken);
            journal.Done("UpdateTrail", () => CallAsync("UpdateTrail", region, Settings(before, new JsonObject { ["Name"] = arn }), CancellationToken.None));
        }

        if (fields.Contains("logging"))
        {
            var on = resolved.Fields["logging"] == "true";
            await Logging(region, arn, on, cancellationToken);
            journal.Done(on ? "StartLogging" : "StopLogging", () => Logging(region, arn, !on, CancellationToken.None));
        }
    }

    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindAsync(resource.Name, cancellationToken) is not { } found)
        {
            return;
        }

        var live = (await ReadAsync(resource, cancellationToken))!;
        await CallAsync("DeleteTrail", found.Region, new JsonObject { ["Name"] = found.Arn }, cancellationToken);
        // Undone by a new trail of the same name and settings; the log files already delivered stay in the bucket.
        journal.Done("DeleteTrail", async () =>
        {
            await CallAsync("CreateTrail", found.Region, Settings(live, new JsonObject { ["Name"] = resource.Name }), CancellationToken.None);
            if (live["logging"] == "true")
            {
                await Logging(found.Region, resource.Name, on: true, CancellationToken.None);
            }
        });
    }

    /// <summary>The trails the account owns, with their home regions, as ListTrails answers in the default region.</summary>
    public async Task<List<(string Name, string Region, string Arn)>> OwnAsync(CancellationToken cancellationToken)
    {
        var account = await connection.AccountIdAsync(cancellationToken);
        var listed = await CallAsync("ListTrails", connection.DefaultRegion, [], cancellationToken);
        return [.. (listed["Trails"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(t => (Name: t["Name"]?.GetValue<string>() ?? "", Region: t["HomeRegion"]?.GetValue<string>() ?? connection.DefaultRegion, Arn: t["TrailARN"]?.GetValue<string>() ?? ""))
            .Where(t => t.Arn.Split(':') is { Length: > 5 } parts && parts[4] == account)];
    }

    private async Task<(string Region, string Arn)?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await OwnAsync(cancellationToken)).Where(t => t.Name == name).Select(t => ((string, string)?)(t.Region, t.Arn)).FirstOrDefault();

    private string Region(EstateResource resource) => resource.Fields.GetValueOrDefault("region") ?? connection.DefaultRegion;

    private async Task Logging(string region, string trail, bool on, CancellationToken cancellationToken) =>
        await CallAsync(on ? "StartLogging" : "StopLogging", region, new JsonObject { ["Name"] = trail }, cancellationToken);

    private Task<JsonObject> CallAsync(string action, string region, JsonObject input, CancellationToken cancellationToken) =>
        connection.CloudTrail(region).CallAsync(action, region, input, cancellationToken);

    /// <summary>CreateTrail's and UpdateTrail's members for the fields given; logging is not one of them (StartLogging is).</summary>
    private static JsonObject Settings(IEnumerable<KeyValuePair<string, string>> fields, JsonObject input)
    {
        foreach (var (field, value) in fields)
        {
            switch (field)
            {
                case "bucket":
                    input["S3BucketName"] = value;
                    break;
                case "multiRegion":
                    input["IsMultiRegionTrail"] = value == "true";
                    break;
                case "logFileValidation":
                    input["EnableLogFileValidation"] = value == "true";
                    break;
            }
        }

        return input;
    }

    private static string Flag(JsonNode? node) =>
        (node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag).ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
}
