using System.Text.Json.Nodes;
using Cloudkeep.Services.S3;
using Cloudkeep.Services.S3.Lifecycle;
using Cloudkeep.Storage.Metadata;
using CsCheck;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>The pure parts of lifecycle: S3's rounding of an object's age, rule filters, version ids.</summary>
public sealed class LifecycleRuleTests
{
    [Theory]
    [InlineData("2026-01-15T10:30:00Z", 3, "2026-01-19T00:00:00Z")]
    [InlineData("2026-01-15T00:00:00Z", 1, "2026-01-16T00:00:00Z")]
    [InlineData("2026-01-15T23:59:59Z", 180, "2026-07-15T00:00:00Z")]
    [InlineData("2026-12-31T12:00:00+02:00", 1, "2027-01-02T00:00:00Z")]
    public void DueAfter_AddsTheDaysAndRoundsUpToMidnightUtc(string start, int days, string due) =>
        Assert.Equal(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), LifecycleRule.DueAfter(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), days));

    [Fact]
    public void DueAfter_IsAMidnightWithinADayAfterTheAge() =>
        Gen.Select(Gen.Long[0, 4_000_000_000_000], Gen.Int[1, 3650]).Sample((millis, days) =>
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            var due = LifecycleRule.DueAfter(start, days);
            return due.TimeOfDay == TimeSpan.Zero && due.Offset == TimeSpan.Zero && due >= start.AddDays(days) && due < start.AddDays(days + 1);
        });

    [Fact]
    public void Filter_MatchesPrefixTagsAndSizesTogether()
    {
        var filter = new LifecycleFilter("dumps/", [new("class", "backup")], SizeGreaterThan: 10, SizeLessThan: 100);
        static S3ObjectRecord Object(string key, long size) => new("b", key, "", size, "", DateTimeOffset.UnixEpoch, "1", "{}");
        var tagged = ObjectMeta.Parse("""{"Tags":[{"Key":"class","Value":"backup"}]}""");
        var untagged = ObjectMeta.Parse("{}");
        Assert.True(filter.Matches(Object("dumps/a", 50), () => tagged));
        Assert.False(filter.Matches(Object("logs/a", 50), () => tagged));
        Assert.False(filter.Matches(Object("dumps/a", 50), () => untagged));
        Assert.False(filter.Matches(Object("dumps/a", 10), () => tagged));
        Assert.False(filter.Matches(Object("dumps/a", 100), () => tagged));
    }

    [Fact]
    public void Configuration_WithoutIds_GetsDistinctGeneratedOnes()
    {
        var rule = new JsonObject { ["Filter"] = new JsonObject { ["Prefix"] = "" }, ["Status"] = "Enabled", ["Expiration"] = new JsonObject { ["Days"] = 1 } };
        var stored = LifecycleConfiguration.Validate(new JsonObject { ["Rules"] = new JsonArray(rule.DeepClone(), rule.DeepClone()) });
        var ids = LifecycleConfiguration.RulesOf(stored).Select(r => r.Id).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id.Length, 1, 255));
    }

    [Fact]
    public void VersionIds_AreUrlSafeUniqueAndWellFormed()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ObjectVersions.NewId()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(ObjectVersions.IsWellFormed(id) && Uri.EscapeDataString(id) == id));
        Assert.True(ObjectVersions.IsWellFormed("null"));
        Assert.False(ObjectVersions.IsWellFormed("../../etc"));
    }
}
