using Cloudkeep.Storage.Metadata;
using Dapper;

namespace Cloudkeep.Storage.Tests;

/// <summary>
/// The behaviour every metadata store engine must have. Each engine's test class derives from this
/// and supplies a fresh, migrated store; the same tests then run against SQLite and PostgreSQL.
/// </summary>
public abstract partial class MetadataStoreContract : IAsyncLifetime
{
    protected IMetadataStore Store { get; private set; } = null!;

    protected abstract Task<IMetadataStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync(TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    private static AccountRecord Account(string id, string email) =>
        new(id, "acct-" + id, email, "ACTIVE", IsManagement: false, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    [Fact]
    public async Task Migrate_RunTwice_AppliesEachMigrationOnce()
    {
        await Store.MigrateAsync(TimeProvider.System, CancellationToken.None);
        await using var connection = await Store.OpenAsync(CancellationToken.None);
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migrations.All.Select(m => m.Version), versions);
    }

    [Fact]
    public async Task Migrate_Concurrently_AppliesEachMigrationOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Store.MigrateAsync(TimeProvider.System, CancellationToken.None)));
        await using var connection = await Store.OpenAsync(CancellationToken.None);
        Assert.Equal(Migrations.All.Count, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Accounts_CreateGetList_RoundTrip()
    {
        var accounts = new AccountRepository(Store);
        Assert.True(await accounts.TryCreateAsync(Account("111111111111", "a@example.com"), CancellationToken.None));
        Assert.True(await accounts.TryCreateAsync(Account("222222222222", "b@example.com"), CancellationToken.None));
        var fetched = await accounts.GetAsync("111111111111", CancellationToken.None);
        Assert.Equal(Account("111111111111", "a@example.com"), fetched);
        Assert.Equal(["111111111111", "222222222222"], (await accounts.ListAsync(CancellationToken.None)).Select(a => a.AccountId));
        Assert.Null(await accounts.GetAsync("333333333333", CancellationToken.None));
    }

    [Fact]
    public async Task Accounts_DuplicateIdOrEmail_IsRefusedAndChangesNothing()
    {
        var accounts = new AccountRepository(Store);
        Assert.True(await accounts.TryCreateAsync(Account("111111111111", "a@example.com"), CancellationToken.None));
        Assert.False(await accounts.TryCreateAsync(Account("111111111111", "other@example.com"), CancellationToken.None));
        Assert.False(await accounts.TryCreateAsync(Account("222222222222", "a@example.com"), CancellationToken.None));
        Assert.Single(await accounts.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AccessKeys_CreateStatusDelete_RoundTrip()
    {
        await new AccountRepository(Store).TryCreateAsync(Account("111111111111", "a@example.com"), CancellationToken.None);
        var keys = new AccessKeyRepository(Store);
        var key = new AccessKeyRecord("AKIAEXAMPLE000000001", "111111111111", null, "c2VhbGVk", "Active", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await keys.CreateAsync(key, CancellationToken.None);
        Assert.Equal(key, await keys.GetAsync(key.AccessKeyId, CancellationToken.None));
        Assert.Single(await keys.ListForOwnerAsync("111111111111", null, CancellationToken.None));
        Assert.Empty(await keys.ListForOwnerAsync("111111111111", "alice", CancellationToken.None));
        Assert.True(await keys.SetStatusAsync(key.AccessKeyId, "Inactive", CancellationToken.None));
        Assert.Equal("Inactive", (await keys.GetAsync(key.AccessKeyId, CancellationToken.None))!.Status);
        await keys.RecordUseAsync(key.AccessKeyId, DateTimeOffset.UtcNow, "sts", "eu-west-1", CancellationToken.None);
        Assert.True(await keys.DeleteAsync(key.AccessKeyId, CancellationToken.None));
        Assert.Null(await keys.GetAsync(key.AccessKeyId, CancellationToken.None));
        Assert.False(await keys.DeleteAsync(key.AccessKeyId, CancellationToken.None));
    }

    [Fact]
    public async Task AccessKeys_ForUnknownAccount_ViolateTheForeignKey()
    {
        var keys = new AccessKeyRepository(Store);
        var key = new AccessKeyRecord("AKIAEXAMPLE000000002", "999999999999", null, "x", "Active", DateTimeOffset.UtcNow);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => keys.CreateAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Settings_GetOrSet_FirstWriterWins()
    {
        var settings = new SettingsRepository(Store);
        Assert.Null(await settings.GetAsync("x", CancellationToken.None));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => settings.GetOrSetAsync("x", "v" + i, CancellationToken.None)));
        Assert.Single(results.Distinct());
        await settings.SetAsync("x", "replaced", CancellationToken.None);
        Assert.Equal("replaced", await settings.GetAsync("x", CancellationToken.None));
    }

    [Fact]
    public async Task InTransaction_Throwing_RollsBackEverything()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.InTransactionAsync<int>(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO settings (name, value) VALUES ('t1', 'v')", transaction: transaction);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        Assert.Null(await new SettingsRepository(Store).GetAsync("t1", CancellationToken.None));
    }

    [Fact]
    public async Task InTransaction_Returning_Commits()
    {
        var count = await Store.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("INSERT INTO settings (name, value) VALUES ('t2', 'v')", transaction: transaction);
            return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM settings WHERE name = 't2'", transaction: transaction);
        }, CancellationToken.None);
        Assert.Equal(1, count);
        Assert.Equal("v", await new SettingsRepository(Store).GetAsync("t2", CancellationToken.None));
    }

    [Fact]
    public async Task Settings_ValuesWithQuotesAndUnicode_RoundTrip()
    {
        var settings = new SettingsRepository(Store);
        const string Value = "it's \"quoted\"; DROP TABLE settings; -- ሴ";
        await settings.SetAsync("weird", Value, CancellationToken.None);
        Assert.Equal(Value, await settings.GetAsync("weird", CancellationToken.None));
    }
}
