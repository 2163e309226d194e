using Dapper;

namespace Cloudkeep.Storage.Metadata;

/// <summary>One password reset link as stored: its selector, the account it is bound to and the hash of its secret, never the secret.</summary>
public sealed record RootResetRow(string Id, string AccountId, string VerifierHash, long CreatedMs, long ExpiresMs, string State, long? UsedMs, string? UsedFrom)
{
    public const string Issued = "issued";
    public const string Used = "used";
    public const string Superseded = "superseded";
}

/// <summary>A reset e-mail waiting for the alerts raised with it to be delivered before it may leave.</summary>
public sealed record RootResetMailRow(string Id, string AccountId, string Recipient, string MessageSealed, string AfterAlerts, long CreatedMs, long ExpiresMs, long Attempts, long DueMs, string State, string? LastError)
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Dead = "dead";
}

/// <summary>
/// Root's console sign-in state: the root password's hash per account (no row: the root user is
/// locked), the password reset links (selector, account, hash of the secret, expiry, state) and the
/// reset e-mails queued behind their alerts. Using a link and setting the password is one transaction.
/// </summary>
public sealed class RootSignInRepository(IMetadataStore store)
{
    private const string ResetColumns = "id AS Id, account_id AS AccountId, verifier_hash AS VerifierHash, created_ms AS CreatedMs, expires_ms AS ExpiresMs, state AS State, used_ms AS UsedMs, used_from AS UsedFrom";
    private const string MailColumns = "id AS Id, account_id AS AccountId, recipient AS Recipient, message_sealed AS MessageSealed, after_alerts AS AfterAlerts, created_ms AS CreatedMs, expires_ms AS ExpiresMs, attempts AS Attempts, due_ms AS DueMs, state AS State, last_error AS LastError";

    /// <summary>The root password's hash, or null while the root user is locked.</summary>
    public async Task<string?> PasswordHashAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT password_hash FROM root_logins WHERE account_id = @accountId", new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>When the account's newest link was made, if it has one (requests are spaced out per account).</summary>
    public async Task<long?> LastIssuedMsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT MAX(created_ms) FROM root_password_resets WHERE account_id = @accountId", new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores a new link; the account's older links that were not used stop working in the same transaction.</summary>
    public Task IssueAsync(RootResetRow reset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reset);
        return store.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE root_password_resets SET state = @superseded WHERE account_id = @AccountId AND state = @issued",
                new { reset.AccountId, superseded = RootResetRow.Superseded, issued = RootResetRow.Issued }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO root_password_resets (id, account_id, verifier_hash, created_ms, expires_ms, state, used_ms, used_from, announced) " +
                "VALUES (@Id, @AccountId, @VerifierHash, @CreatedMs, @ExpiresMs, @State, NULL, NULL, 0)",
                reset, transaction, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public async Task<RootResetRow?> GetResetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RootResetRow>(new CommandDefinition(
            $"SELECT {ResetColumns} FROM root_password_resets WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Uses the link and sets root's password in one transaction: only a link still issued, of this
    /// account and not expired at <paramref name="nowMs"/>, is used, once; false when it was not.
    /// The use is left unannounced until <see cref="MarkAnnouncedAsync"/> (its event and alert recorded).
    /// </summary>
    public Task<bool> CompleteAsync(string id, string accountId, string passwordHash, long nowMs, string usedFrom, CancellationToken cancellationToken) =>
        store.InTransactionAsync(async (connection, transaction) =>
        {
            var used = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE root_password_resets SET state = @used, used_ms = @nowMs, used_from = @usedFrom, announced = 0 " +
                "WHERE id = @id AND account_id = @accountId AND state = @issued AND expires_ms > @nowMs",
                new { id, accountId, nowMs, usedFrom, used = RootResetRow.Used, issued = RootResetRow.Issued }, transaction, cancellationToken: cancellationToken));
            if (used != 1)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO root_logins (account_id, password_hash, password_set_ms) VALUES (@accountId, @passwordHash, @nowMs) " +
                "ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, password_set_ms = excluded.password_set_ms",
                new { accountId, passwordHash, nowMs }, transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    public async Task MarkAnnouncedAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE root_password_resets SET announced = 1 WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Links used before <paramref name="beforeMs"/> whose completion was never announced (the node stopped in between).</summary>
    public async Task<IReadOnlyList<RootResetRow>> UnannouncedAsync(long beforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<RootResetRow>(new CommandDefinition(
            $"SELECT {ResetColumns} FROM root_password_resets WHERE state = @used AND announced = 0 AND used_ms < @beforeMs",
            new { used = RootResetRow.Used, beforeMs }, cancellationToken: cancellationToken))];
    }

    public async Task AddMailAsync(RootResetMailRow mail, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO root_reset_mail (id, account_id, recipient, message_sealed, after_alerts, created_ms, expires_ms, attempts, due_ms, state, last_error) " +
            "VALUES (@Id, @AccountId, @Recipient, @MessageSealed, @AfterAlerts, @CreatedMs, @ExpiresMs, @Attempts, @DueMs, @State, @LastError)",
            mail, cancellationToken: cancellationToken));
    }

    /// <summary>Pending e-mails due at <paramref name="nowMs"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RootResetMailRow>> DueMailAsync(long nowMs, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<RootResetMailRow>(new CommandDefinition(
            $"SELECT {MailColumns} FROM root_reset_mail WHERE state = @pending AND due_ms <= @nowMs ORDER BY due_ms, created_ms LIMIT @limit",
            new { pending = RootResetMailRow.Pending, nowMs, limit }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<RootResetMailRow>> MailOfAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<RootResetMailRow>(new CommandDefinition(
            $"SELECT {MailColumns} FROM root_reset_mail WHERE account_id = @accountId ORDER BY created_ms", new { accountId }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Records an attempt's outcome on a pending row. A row that leaves the queue (sent or dead) loses its
    /// sealed message, so the link it carried is kept nowhere once it went.
    /// </summary>
    public async Task<bool> RecordMailAsync(string id, string state, long attempts, long dueMs, string? lastError, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE root_reset_mail SET state = @state, attempts = @attempts, due_ms = @dueMs, last_error = @lastError, " +
            "message_sealed = CASE WHEN @state = @pending THEN message_sealed ELSE '' END WHERE id = @id AND state = @pending",
            new { id, state, attempts, dueMs, lastError, pending = RootResetMailRow.Pending }, cancellationToken: cancellationToken)) == 1;
    }
}
