using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>The security watch's findings: a pass replaces an account's findings whole; a failed read keeps them and says why; the same on SQLite and PostgreSQL.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly DateTimeOffset WatchTime = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);

    [Fact]
    public async Task WatchFindings_ReplacedPerAccount_FailedReadKeepsThem()
    {
        var store = new WatchFindingsRepository(Store);
        Assert.Null(await store.LastCheckedAsync(CancellationToken.None));
        WatchFindingRow Row(long seq, string check) => new("", seq, check, "High", "arn:aws:iam::111122223333:root", "why", "fix", WatchTime.ToUnixTimeMilliseconds());
        await store.ReplaceAsync("111122223333", WatchTime, [Row(0, "ROOT_ACCESS_KEY"), Row(1, "TRAIL_OFF")], CancellationToken.None);
        await store.ReplaceAsync("444455556666", WatchTime, [Row(0, "TRAIL_OFF")], CancellationToken.None);

        var later = WatchTime.AddDays(1);
        await store.ReplaceAsync("111122223333", later, [Row(0, "TRAIL_OFF")], CancellationToken.None);
        var findings = await store.FindingsAsync("111122223333", CancellationToken.None);
        Assert.Equal(["TRAIL_OFF"], findings.Select(f => f.CheckId));
        Assert.Equal("111122223333", findings[0].AccountId);
        Assert.Single(await store.FindingsAsync("444455556666", CancellationToken.None));
        Assert.Equal(later, await store.LastCheckedAsync(CancellationToken.None));

        var failed = later.AddDays(1);
        await store.FailedAsync("111122223333", failed, "AccessDenied: no", CancellationToken.None);
        var account = await store.AccountAsync("111122223333", CancellationToken.None);
        Assert.Equal((failed.ToUnixTimeMilliseconds(), later.ToUnixTimeMilliseconds(), "AccessDenied: no"), (account!.CheckedMs, account.ReadMs, account.Error));
        Assert.Single(await store.FindingsAsync("111122223333", CancellationToken.None));

        await store.ReplaceAsync("111122223333", failed.AddHours(1), [], CancellationToken.None);
        Assert.Null((await store.AccountAsync("111122223333", CancellationToken.None))!.Error);
        Assert.Empty(await store.FindingsAsync("111122223333", CancellationToken.None));
    }
}
