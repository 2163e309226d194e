using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The console's stored state: failed sign-ins per subject (a user, an address) for throttling, and
/// the ids of sessions signed out before they expired. Stored rather than held in memory so every
/// node sharing the database throttles and refuses alike.
/// </summary>
public sealed class ConsoleSignInRepository(IMetadataStore store)
{
    public async Task<(long Failures, DateTimeOffset LastFailure)?> GetFailuresAsync(string subject, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(long Failures, long LastFailureMs)>(
            "SELECT failures, last_failure_ms FROM console_signin_failures WHERE subject = @subject", new { subject })).ToList();
        return rows.Count == 0 ? null : (rows[0].Failures, DateTimeOffset.FromUnixTimeMilliseconds(rows[0].LastFailureMs));
    }

    public async Task RecordFailureAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO console_signin_failures (subject, failures, last_failure_ms) VALUES (@subject, 1, @now) " +
            "ON CONFLICT (subject) DO UPDATE SET failures = console_signin_failures.failures + 1, last_failure_ms = excluded.last_failure_ms",
            new { subject, now = now.ToUnixTimeMilliseconds() });
    }

    public async Task ClearFailuresAsync(string subject, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM console_signin_failures WHERE subject = @subject", new { subject });
    }

    /// <summary>Remembers a signed-out session until it would have expired anyway; older entries are dropped.</summary>
    public async Task SignOutAsync(string sessionId, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO console_signed_out (session_id, until_ms) VALUES (@sessionId, @until) ON CONFLICT (session_id) DO NOTHING",
            new { sessionId, until = until.ToUnixTimeMilliseconds() });
        await connection.ExecuteAsync("DELETE FROM console_signed_out WHERE until_ms < @now", new { now = now.ToUnixTimeMilliseconds() });
    }

    public async Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_signed_out WHERE session_id = @sessionId", new { sessionId }) > 0;
    }
}
