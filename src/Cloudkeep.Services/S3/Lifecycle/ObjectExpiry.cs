using System.Globalization;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Lifecycle;

/// <summary>
/// x-amz-expiration on GET, HEAD and PUT of a current object an expiration rule covers:
/// expiry-date="(RFC 1123 date)", rule-id="(URL-encoded rule id)", the earliest rule's.
/// </summary>
internal static class ObjectExpiry
{
    public static string? HeaderFor(BucketState bucket, S3ObjectRecord record)
    {
        if (bucket.LifecycleRules.Count == 0 || record.DeleteMarker)
        {
            return null;
        }

        ObjectMeta? parsed = null;
        ObjectMeta Meta() => parsed ??= ObjectMeta.Parse(record.Meta);
        var earliest = bucket.LifecycleRules
            .Where(r => r.Enabled && r.Filter.Matches(record, Meta))
            .Select(r => (Rule: r, Due: r.ExpiryOf(record)))
            .Where(e => e.Due is not null)
            .OrderBy(e => e.Due)
            .FirstOrDefault();
        return earliest.Rule is null
            ? null
            : $"expiry-date=\"{earliest.Due!.Value.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture)}\", rule-id=\"{Uri.EscapeDataString(earliest.Rule.Id)}\"";
    }
}
