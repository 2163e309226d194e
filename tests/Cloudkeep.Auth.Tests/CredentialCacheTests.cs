using Cloudkeep.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cloudkeep.Auth.Tests;

/// <summary>The cache's names and contents, as botocore and awscli write and read them.</summary>
public sealed class CredentialCacheTests
{
    private static AssumeRoleCredentialSource Role(string arn, string? serial = null, int? duration = null, string? session = null, string? externalId = null) =>
        new("p", new StaticCredentialSource("d", "AKIA", "s", null), arn, serial, duration, session, externalId);

    [Fact]
    public void AssumeRoleKey_SeedExample_MatchesTheAwsClisFileName()
    {
        // From the estate's description of aws-auth: this role and device give this file name.
        var key = CredentialCache.AssumeRoleKey(Role("arn:aws:iam::381494870249:role/infrastructure", "arn:aws:iam::398263320410:mfa/alice"));

        Assert.Equal("08b1fc909133aa7a463cdf64f1e9b4baabb94666", key);
    }

    [Theory]
    [InlineData(null, null, null, null, """{"RoleArn": "arn:aws:iam::1:role/r"}""")]
    [InlineData("arn:aws:iam::1:mfa/m", 900, "me", "ext", """{"DurationSeconds": 900, "ExternalId": "ext", "RoleArn": "arn:aws:iam::1:role/r", "RoleSessionName": "me", "SerialNumber": "arn:aws:iam::1:mfa/m"}""")]
    [InlineData(null, null, "caf\u00e9 \"q\"", null, """{"RoleArn": "arn:aws:iam::1:role/r", "RoleSessionName": "caf\u00e9 \"q\""}""")]
    public void AssumeRoleKey_IsSha1OfPythonsSortedJson(string? serial, int? duration, string? session, string? externalId, string python)
    {
        var expected = Convert.ToHexStringLower(
#pragma warning disable CA5350 // The AWS CLI's cache file name, not a protection.
            System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(python)));
#pragma warning restore CA5350

        Assert.Equal(expected, CredentialCache.AssumeRoleKey(Role("arn:aws:iam::1:role/r", serial, duration, session, externalId)));
    }

    [Fact]
    public void PythonJson_NonAscii_IsEscapedAsUtf16Units()
    {
        Assert.Equal("""{"k": "\u00e9\ud83d\ude02\u007f"}""", PythonJson.DumpsSorted(new Dictionary<string, object> { ["k"] = "é😂\u007f" }));
    }

    [Fact]
    public void TryGet_ReusesUntilFiveMinutesBeforeExpiry()
    {
        using var directory = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero));
        var cache = new CredentialCache(Path.Combine(directory.Path, "cache"), clock);
        cache.Put("k", new TemporaryCredentials("ASIAX", "secret", "token", clock.GetUtcNow().AddMinutes(60), "111122223333"));

        clock.Advance(TimeSpan.FromMinutes(54));
        var fresh = cache.TryGet("k");
        clock.Advance(TimeSpan.FromMinutes(1));
        var stale = cache.TryGet("k");

        Assert.Equal(("ASIAX", "secret", "token"), (fresh!.AccessKeyId, fresh.SecretAccessKey, fresh.SessionToken));
        Assert.Null(stale);
    }

    [Fact]
    public void TryGet_ReadsTheAwsClisFileShape()
    {
        using var directory = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero));
        File.WriteAllText(Path.Combine(directory.Path, "abc.json"),
            """{"Credentials": {"AccessKeyId": "ASIAC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-11-22T21:00:00UTC", "AccountId": "111122223333"}, "AssumedRoleUser": {"AssumedRoleId": "AROA:botocore-session-1", "Arn": "arn:aws:sts::111122223333:assumed-role/r/botocore-session-1"}, "ResponseMetadata": {"RequestId": "x", "HTTPStatusCode": 200}}""");

        var cached = new CredentialCache(directory.Path, clock).TryGet("abc");

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 21, 0, 0, TimeSpan.Zero), cached!.Expiration);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/r/botocore-session-1", cached.AssumedRoleArn);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Credentials": {"AccessKeyId": "A"}}""")]
    [InlineData("""{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "soon"}}""")]
    public void TryGet_DamagedFile_IsAMiss(string contents)
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "bad.json"), contents);

        Assert.Null(new CredentialCache(directory.Path, TimeProvider.System).TryGet("bad"));
    }

    [Fact]
    public void Clear_RemovesCredentialFilesOnly()
    {
        using var directory = new TempDirectory();
        var cache = new CredentialCache(directory.Path, TimeProvider.System);
        cache.Put("a", new TemporaryCredentials("ASIA1", "s", "t", DateTimeOffset.UtcNow.AddHours(1)));
        cache.Put("b", new TemporaryCredentials("ASIA2", "s", "t", DateTimeOffset.UtcNow.AddHours(1)));
        File.WriteAllText(Path.Combine(directory.Path, "other.json"), """{"something": "else"}""");

        Assert.Equal(2, cache.Clear());
        Assert.Equal(["other.json"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }
}
