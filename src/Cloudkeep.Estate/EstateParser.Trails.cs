using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cloudkeep.Estate;

/// <summary>
/// CloudTrail trails: <c>bucket</c> (required: a bucket the estate declares, in this account or an
/// audit account, whose policy lets cloudtrail.amazonaws.com write, since CreateTrail checks it),
/// <c>region</c> (the home region, fixed at creation; the default region when left out),
/// <c>multiRegion</c>, <c>logFileValidation</c> and <c>logging</c>, each true or false.
/// </summary>
internal sealed partial class EstateParser
{
    /// <summary>Each trail's bucket and where it is said, checked once every account's buckets are known.</summary>
    private readonly List<(string Bucket, YamlNode Node, string At)> _trailBuckets = [];

    private void Trail(string account, string name, YamlMappingNode? map, YamlNode node, string at)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(map, at, TrailHandler.Keys))
        {
            var here = $"{at}.{key}";
            Field(fields, key, key switch
            {
                "bucket" => Text(value, here) is { } bucket
                    ? BucketName().IsMatch(bucket) ? TrailBucket(bucket, value, here) : ErrorValue(value, here, $"'{bucket}' is not a bucket name")
                    : null,
                "region" => Text(value, here) is { } region
                    ? RegionName().IsMatch(region) ? region : ErrorValue(value, here, $"'{region}' is not a region name (e.g. eu-west-1)")
                    : null,
                _ => Bool(value, here)?.ToString().ToLowerInvariant(),
            });
        }

        Require(fields, node, at, "bucket");
        _resources.Add(new EstateResource(ResourceKind.Trail, account, name, fields));
    }

    private string TrailBucket(string bucket, YamlNode node, string at)
    {
        _trailBuckets.Add((bucket, node, at));
        return bucket;
    }

    /// <summary>A trail's bucket must be one the estate declares: apply creates it, with its policy for CloudTrail, before the trail.</summary>
    private void CheckTrails()
    {
        var buckets = _resources.Where(r => r.Kind == ResourceKind.Bucket).Select(r => r.Name).ToList();
        foreach (var (bucket, node, at) in _trailBuckets.Where(t => !buckets.Contains(t.Bucket, StringComparer.Ordinal)))
        {
            var hint = Suggestions.Closest(bucket, buckets) is { } close ? $"; did you mean '{close}'?" : "";
            Error(node, at, $"no bucket '{bucket}' is declared in the estate (CreateTrail needs it to exist with a policy letting CloudTrail write){hint}");
        }
    }

    [GeneratedRegex("^[a-z]{2}(?:-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionName();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,126})[A-Za-z0-9]$")]
    private static partial Regex TrailName();
}
