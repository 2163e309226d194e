using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.CloudTrail.Operations;

/// <summary>
/// cloudtrail:PutEventSelectors and cloudtrail:GetEventSelectors: basic event selectors (up to five):
/// management events read, write or both, sources to exclude, and S3 object data events
/// (AWS::S3::Object with "arn:aws:s3" for every bucket or "arn:aws:s3:::bucket/prefix"). Advanced
/// event selectors are refused (UnsupportedOperationException).
/// </summary>
public sealed class EventSelectors(CloudTrailContext context, bool put) : CloudTrailOperation(context)
{
    public override string Operation => put ? "PutEventSelectors" : "GetEventSelectors";

    protected override string? TrailMember => "TrailName";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Input.Str("TrailName");
        if (!put)
        {
            var found = await Trails.FindAsync(Context, request, name, cancellationToken);
            return new OperationResult(new JsonObject { ["TrailARN"] = found.Arn, ["EventSelectors"] = found.EventSelectors.DeepClone() });
        }

        var trail = await Trails.FindOwnAsync(Context, request, name, cancellationToken);
        if (request.Input.OptArray("AdvancedEventSelectors") is { Count: > 0 })
        {
            throw CloudTrailErrors.UnsupportedOperation.ToException("Cloudkeep supports basic event selectors only (EventSelectors).");
        }

        var selectors = request.Input.OptArray("EventSelectors") ?? throw CloudTrailErrors.InvalidEventSelectors.ToException("EventSelectors is required.");
        var stored = Check(selectors);
        var updated = trail with { EventSelectors = stored, HasCustomEventSelectors = true };
        await Context.Repository.UpdateTrailAsync(updated.Arn, updated.ToDocument(), updated.Logging, cancellationToken);
        await Context.RefreshDataEventSelectionAsync(cancellationToken);
        return new OperationResult(new JsonObject { ["TrailARN"] = updated.Arn, ["EventSelectors"] = stored.DeepClone() });
    }

    /// <summary>Every problem of the selectors, reported together; the selectors as stored (defaults filled in).</summary>
    private static JsonArray Check(JsonArray selectors)
    {
        var problems = new List<string>();
        if (selectors.Count is 0 or > 5)
        {
            problems.Add("A trail can have 1 to 5 event selectors.");
        }

        var stored = new JsonArray();
        var dataResources = 0;
        foreach (var selector in selectors.Objects())
        {
            var readWrite = selector.OptStr("ReadWriteType") ?? "All";
            var resources = new JsonArray();
            foreach (var resource in selector.OptArray("DataResources").Objects())
            {
                var type = resource.OptStr("Type");
                var values = resource.OptArray("Values").Strings().ToList();
                if (type != "AWS::S3::Object")
                {
                    problems.Add($"Data resource type {type} is not supported (Cloudkeep records AWS::S3::Object only).");
                    continue;
                }

                foreach (var value in values)
                {
                    if (value is not ("arn:aws:s3" or "arn:aws:s3:::") && !(value.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) && value.Length > "arn:aws:s3:::".Length && value.Contains('/', StringComparison.Ordinal)))
                    {
                        problems.Add($"Value {value} for parameter DataResources.Values is invalid.");
                    }
                }

                dataResources += values.Count;
                resources.Add(new JsonObject { ["Type"] = type, ["Values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) });
            }

            var excluded = selector.OptArray("ExcludeManagementEventSources").Strings().ToList();
            stored.Add(new JsonObject
            {
                ["ReadWriteType"] = readWrite,
                ["IncludeManagementEvents"] = selector.OptBool("IncludeManagementEvents") ?? true,
                ["DataResources"] = resources,
                ["ExcludeManagementEventSources"] = new JsonArray([.. excluded.Select(v => (JsonNode)v)]),
            });
        }

        if (dataResources > 250)
        {
            problems.Add("A trail can have at most 250 data resources.");
        }

        return problems.Count == 0 ? stored : throw CloudTrailErrors.InvalidEventSelectors.ToException(string.Join(" ", problems));
    }
}
