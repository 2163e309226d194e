using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudTrail;

/// <summary>
/// One trail: its settings (the model's Trail shape), event selectors, tags and delivery status, kept
/// as one JSON document in its row. Immutable: a change makes a new one, stored whole.
/// </summary>
public sealed partial record TrailState
{
    public required string Arn { get; init; }

    public required string AccountId { get; init; }

    public required string HomeRegion { get; init; }

    public required string Name { get; init; }

    public required string Bucket { get; init; }

    public string? Prefix { get; init; }

    public bool IncludeGlobalServiceEvents { get; init; } = true;

    public bool IsMultiRegion { get; init; }

    public bool IsOrganization { get; init; }

    public bool LogFileValidation { get; init; }

    public bool Logging { get; init; }

    public bool HasCustomEventSelectors { get; init; }

    /// <summary>The event selectors as given (the model's EventSelector shape); the default is one selector: all management events, no data events.</summary>
    public JsonArray EventSelectors { get; init; } = DefaultSelectors();

    public IReadOnlyList<KeyValuePair<string, string?>> Tags { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartLoggingTime { get; init; }

    public DateTimeOffset? StopLoggingTime { get; init; }

    public DateTimeOffset? LatestDeliveryTime { get; init; }

    public string? LatestDeliveryError { get; init; }

    public DateTimeOffset? LatestDigestDeliveryTime { get; init; }

    public static string ArnFor(string region, string account, string name) => $"arn:aws:cloudtrail:{region}:{account}:trail/{name}";

    public static JsonArray DefaultSelectors() =>
        [new JsonObject { ["ReadWriteType"] = "All", ["IncludeManagementEvents"] = true, ["DataResources"] = new JsonArray(), ["ExcludeManagementEventSources"] = new JsonArray() }];

    /// <summary>
    /// A trail name's rules (CreateTrail, Name): 3-128 ASCII letters, digits, '.', '_' or '-', starting and
    /// ending with a letter or digit, no two punctuation marks together, not an IP address.
    /// </summary>
    public static bool IsValidName(string name) =>
        name.Length is >= 3 and <= 128 && NameRule().IsMatch(name) && !AdjacentPunctuation().IsMatch(name) && !IpAddress().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]$")]
    private static partial Regex NameRule();

    [GeneratedRegex("[._-]{2}")]
    private static partial Regex AdjacentPunctuation();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddress();

    /// <summary>Whether the trail records this event: its regions, accounts, and selectors.</summary>
    public bool Selects(AuditEvent e, IReadOnlySet<string>? organizationAccounts)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.RecipientAccountId != AccountId && !(IsOrganization && organizationAccounts is not null && organizationAccounts.Contains(e.RecipientAccountId)))
        {
            return false;
        }

        var global = e.Region == "us-east-1" && AuditRecords.IsGlobal(e.EventSource[..e.EventSource.IndexOf('.', StringComparison.Ordinal)]);
        if (global ? !IncludeGlobalServiceEvents : !IsMultiRegion && e.Region != HomeRegion)
        {
            return false;
        }

        foreach (var selector in EventSelectors.OfType<JsonObject>())
        {
            var readWrite = selector.OptStr("ReadWriteType") ?? "All";
            if ((readWrite == "ReadOnly" && !e.ReadOnly) || (readWrite == "WriteOnly" && e.ReadOnly))
            {
                continue;
            }

            if (e.Management)
            {
                if ((selector.OptBool("IncludeManagementEvents") ?? true) && !selector.OptArray("ExcludeManagementEventSources").Strings().Contains(e.EventSource))
                {
                    return true;
                }

                continue;
            }

            foreach (var resource in selector.OptArray("DataResources").Objects())
            {
                if (resource.OptStr("Type") != "AWS::S3::Object")
                {
                    continue;
                }

                var bucket = e.Resources.FirstOrDefault(r => r.Type == "AWS::S3::Bucket").Name;
                foreach (var value in resource.OptArray("Values").Strings())
                {
                    // "arn:aws:s3" (every bucket) or "arn:aws:s3:::bucket/" (one bucket, any key prefix after it).
                    if (value is "arn:aws:s3" or "arn:aws:s3:::" || (bucket is not null && value.StartsWith("arn:aws:s3:::" + bucket + "/", StringComparison.Ordinal)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The model's Trail shape.</summary>
    public JsonObject ToTrailShape()
    {
        var trail = new JsonObject
        {
            [nameof(Name)] = Name,
            ["S3BucketName"] = Bucket,
        };
        if (Prefix is { Length: > 0 })
        {
            trail["S3KeyPrefix"] = Prefix;
        }

        trail[nameof(IncludeGlobalServiceEvents)] = IncludeGlobalServiceEvents;
        trail["IsMultiRegionTrail"] = IsMultiRegion;
        trail[nameof(HomeRegion)] = HomeRegion;
        trail["TrailARN"] = Arn;
        trail["LogFileValidationEnabled"] = LogFileValidation;
        trail[nameof(HasCustomEventSelectors)] = HasCustomEventSelectors;
        trail["HasInsightSelectors"] = false;
        trail["IsOrganizationTrail"] = IsOrganization;
        return trail;
    }

    /// <summary>CreateTrail's and UpdateTrail's answer (the Trail shape without HomeRegion and the selector flags).</summary>
    public JsonObject ToCreateShape()
    {
        var output = ToTrailShape();
        output.Remove(nameof(HomeRegion));
        output.Remove(nameof(HasCustomEventSelectors));
        output.Remove("HasInsightSelectors");
        return output;
    }

    public string ToDocument()
    {
        var document = new JsonObject
        {
            [nameof(Bucket)] = Bucket,
            [nameof(Prefix)] = Prefix,
            [nameof(IncludeGlobalServiceEvents)] = IncludeGlobalServiceEvents,
            [nameof(IsMultiRegion)] = IsMultiRegion,
            [nameof(IsOrganization)] = IsOrganization,
            [nameof(LogFileValidation)] = LogFileValidation,
            [nameof(HasCustomEventSelectors)] = HasCustomEventSelectors,
            [nameof(EventSelectors)] = EventSelectors.DeepClone(),
            [nameof(Tags)] = new JsonArray([.. Tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
            [nameof(StartLoggingTime)] = Time(StartLoggingTime),
            [nameof(StopLoggingTime)] = Time(StopLoggingTime),
            [nameof(LatestDeliveryTime)] = Time(LatestDeliveryTime),
            [nameof(LatestDeliveryError)] = LatestDeliveryError,
            [nameof(LatestDigestDeliveryTime)] = Time(LatestDigestDeliveryTime),
        };
        return document.ToJsonString();
    }

    public static TrailState FromRow(CloudTrailTrailRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var d = JsonNode.Parse(row.Document)!.AsObject();
        return new TrailState
        {
            Arn = row.Arn,
            AccountId = row.AccountId,
            HomeRegion = row.HomeRegion,
            Name = row.Name,
            Logging = row.Logging,
            CreatedAt = row.CreatedAt,
            Bucket = d.OptStr(nameof(Bucket)) ?? "",
            Prefix = d.OptStr(nameof(Prefix)),
            IncludeGlobalServiceEvents = d.OptBool(nameof(IncludeGlobalServiceEvents)) ?? true,
            IsMultiRegion = d.OptBool(nameof(IsMultiRegion)) ?? false,
            IsOrganization = d.OptBool(nameof(IsOrganization)) ?? false,
            LogFileValidation = d.OptBool(nameof(LogFileValidation)) ?? false,
            HasCustomEventSelectors = d.OptBool(nameof(HasCustomEventSelectors)) ?? false,
            EventSelectors = d.OptArray(nameof(EventSelectors))?.DeepClone().AsArray() ?? DefaultSelectors(),
            Tags = [.. d.OptArray(nameof(Tags)).Objects().Select(t => new KeyValuePair<string, string?>(t.OptStr("Key") ?? "", t.OptStr("Value")))],
            StartLoggingTime = Parse(d.OptStr(nameof(StartLoggingTime))),
            StopLoggingTime = Parse(d.OptStr(nameof(StopLoggingTime))),
            LatestDeliveryTime = Parse(d.OptStr(nameof(LatestDeliveryTime))),
            LatestDeliveryError = d.OptStr(nameof(LatestDeliveryError)),
            LatestDigestDeliveryTime = Parse(d.OptStr(nameof(LatestDigestDeliveryTime))),
        };
    }

    public CloudTrailTrailRow ToRow() => new(Arn, AccountId, HomeRegion, Name, ToDocument(), Logging, CreatedAt);

    private static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
