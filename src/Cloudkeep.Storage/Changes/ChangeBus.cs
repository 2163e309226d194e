using System.Collections.Immutable;

namespace Cloudkeep.Storage.Changes;

/// <summary>
/// Where a node's caches hear that something they hold went stale. The node's own writes drop their
/// entries directly (synchronously, before the request is answered); this bus carries what the other
/// nodes changed: on PostgreSQL <see cref="PostgresChangeListener"/> publishes each notification, and
/// <see cref="Everything"/> after any gap in listening. On SQLite (one node) nothing else writes, so
/// only the in-process publishers (tests, a restore) use it.
/// </summary>
public sealed class ChangeBus
{
    private ImmutableArray<Action<Change>> _handlers = [];
    private long _received;
    private long _resyncs;

    /// <summary>Changes published so far (every node hears its own changes too, on PostgreSQL).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>How often every cache was dropped because notifications may have been missed.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>Handlers run on the publisher's thread and must be quick (a dictionary removal), never block.</summary>
    public void Subscribe(Action<Change> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, static (handlers, added) => handlers.Add(added), handler);
    }

    public void Publish(Change change)
    {
        Interlocked.Increment(ref _received);
        if (change.Kind == ChangeKind.Everything)
        {
            Interlocked.Increment(ref _resyncs);
        }

        foreach (var handler in _handlers)
        {
            handler(change);
        }
    }

    /// <summary>Drops every cache: what a node does when it cannot know what it missed.</summary>
    public void Everything() => Publish(Change.Everything);
}
