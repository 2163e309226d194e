using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>
/// cloudtrail:LookupEvents: the management events of the last 90 days of the caller's account in the
/// request's region (global services' events are in us-east-1), newest first, filtered by at most one
/// LookupAttribute (AWS accepts one), StartTime and EndTime; MaxResults 1-50 (default 50) and NextToken.
/// Data events are never listed, as in AWS; there are no Insights events (EventCategory insight lists none).
/// </summary>
public sealed class LookupEvents(CloudTrailContext context) : CloudTrailOperation(context)
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId",
    };

    public override string Operation => "LookupEvents";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var attributes = input.OptArray("LookupAttributes").Objects().ToList();
        if (attributes.Count > 1)
        {
            throw CloudTrailErrors.InvalidLookupAttributes.ToException("You cannot specify more than one lookup attribute.");
        }

        string? key = null, value = null;
        if (attributes.Count == 1)
        {
            key = attributes[0].OptStr("AttributeKey");
            value = attributes[0].OptStr("AttributeValue");
            if (key is null || !Keys.Contains(key) || value is null || value.Length is 0 or > 2000)
            {
                throw CloudTrailErrors.InvalidLookupAttributes.ToException($"Lookup attribute {key} with value '{value}' is not valid.");
            }
        }

        var category = input.OptStr("EventCategory");
        if (category is not null && category != "insight")
        {
            throw CloudTrailErrors.InvalidEventCategory.ToException();
        }

        var now = Context.Now;
        var end = Date(input, "EndTime") ?? now;
        var start = Date(input, "StartTime") ?? now - CloudTrailContext.EventHistory;
        if (start > end)
        {
            throw CloudTrailErrors.InvalidTimeRange.ToException("Start time must be before end time.");
        }

        var limit = input.OptInteger("MaxResults") ?? 50;
        if (limit is < 1 or > 50)
        {
            throw CloudTrailErrors.InvalidMaxResults.ToException("MaxResults must be between 1 and 50.");
        }

        var after = After(input.OptStr("NextToken"));
        if (category == "insight")
        {
            return new OperationResult(new JsonObject { ["Events"] = new JsonArray() });
        }

        var floor = now - CloudTrailContext.EventHistory;
        var rows = await Context.Repository.LookupEventsAsync(
            new CloudTrailEventQuery(request.Caller.AccountId, request.Region, start < floor ? floor : start, end, key, value, after, (int)limit + 1),
            cancellationToken);
        var output = new JsonObject();
        var events = new JsonArray();
        foreach (var row in rows.Take((int)limit))
        {
            var e = new JsonObject
            {
                ["EventId"] = row.EventId,
                ["EventName"] = row.EventName,
                ["ReadOnly"] = row.ReadOnly ? "true" : "false",
            };
            if (row.AccessKeyId is { } accessKey)
            {
                e["AccessKeyId"] = accessKey;
            }

            e["EventTime"] = row.EventTime;
            e["EventSource"] = row.EventSource;
            if (row.Username is { } username)
            {
                e["Username"] = username;
            }

            e["Resources"] = new JsonArray([.. row.Resources.Select(r => (JsonNode)new JsonObject { ["ResourceType"] = r.Type, ["ResourceName"] = r.Name })]);
            e["CloudTrailEvent"] = row.Record;
            events.Add(e);
        }

        output["Events"] = events;
        if (rows.Count > limit)
        {
            var last = rows[(int)limit - 1];
            output["NextToken"] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(last.EventTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "|" + last.EventId));
        }

        return new OperationResult(output);
    }

    private static DateTimeOffset? Date(JsonObject input, string member) =>
        input.TryGetPropertyValue(member, out var node) && node is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at) ? at : null;

    private static (long Time, string EventId)? After(string? token)
    {
        if (token is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var time) && Guid.TryParse(text.AsSpan(bar + 1), out _))
            {
                return (time, text[(bar + 1)..]);
            }
        }
        catch (FormatException)
        {
        }

        throw CloudTrailErrors.InvalidNextToken.ToException("Invalid NextToken.");
    }
}
