using System.Data.Common;
using System.Threading.Channels;

namespace Cloudkeep.Storage.Metadata;

/// <summary>
/// The write transactions of an engine with one writer at a time (SQLite), run by one writer in turn and committed
/// in groups: whatever queued while the previous commit ran goes into the next transaction, each piece of work in a
/// savepoint of its own, so one that throws undoes only itself. A caller's task completes only after the commit that
/// holds its work (the durability promise is the commit's, as before), and fails if that commit fails. Under
/// concurrent writes this turns a commit (its WAL frames, the write lock's hand-over) per write into one per group;
/// a lone write waits for nobody.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxGroup = 64;
    private const string Savepoint = "work";

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly Func<DbConnection, CancellationToken, Task<DbTransaction>> _begin;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public GroupCommit(Func<CancellationToken, Task<DbConnection>> open, Func<DbConnection, CancellationToken, Task<DbTransaction>> begin)
    {
        _open = open;
        _begin = begin;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Runs <paramref name="work"/> in the next group's transaction; completes once that transaction committed.</summary>
    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = new Work<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(queued), this);
        return queued.Task;
    }

    private async Task WriteAsync()
    {
        var group = new List<Work>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var work))
            {
                if (work.Token.IsCancellationRequested)
                {
                    work.Cancel();
                }
                else
                {
                    group.Add(work);
                }
            }

            if (group.Count > 0)
            {
                await CommitAsync(group);
                group.Clear();
            }
        }
    }

    private async Task CommitAsync(List<Work> group)
    {
        var ran = new List<Work>(group.Count);
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = await _begin(connection, CancellationToken.None);
            var alone = group.Count == 1;
            foreach (var work in group)
            {
                if (!alone)
                {
                    await transaction.SaveAsync(Savepoint);
                }

                try
                {
                    await work.RunAsync(connection, transaction);
                }
                catch (Exception exception)
                {
                    work.Fail(exception);
                    if (alone)
                    {
                        // Nothing else to keep: the transaction is rolled back when disposed.
                        return;
                    }

                    await transaction.RollbackAsync(Savepoint);
                    await transaction.ReleaseAsync(Savepoint);
                    continue;
                }

                if (!alone)
                {
                    await transaction.ReleaseAsync(Savepoint);
                }

                ran.Add(work);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The connection, the transaction or its commit failed: none of the group's work was committed.
            foreach (var work in group)
            {
                work.Fail(exception);
            }

            return;
        }

        foreach (var work in ran)
        {
            work.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private abstract class Work(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class Work<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken token) : Work(token)
    {
        // The work runs on the writer, but in its caller's execution context (async locals such as the current activity).
        private readonly ExecutionContext? _context = ExecutionContext.Capture();
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction)
        {
            if (_context is not null)
            {
                ExecutionContext.Restore(_context);
            }

            _result = await work(connection, transaction);
        }

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception exception) => _done.TrySetException(exception);

        public override void Cancel() => _done.TrySetCanceled(Token);
    }
}
