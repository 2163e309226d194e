namespace Cloudkeep.Core.Operations;

/// <summary>
/// What the authorize step looked up to describe a request (the bucket, the object row, the role,
/// the organization's ids), kept for the handler so nothing is looked up twice, and for the record
/// step to write. One value per type: a request has one bucket, one role, one key.
/// </summary>
public sealed class RequestFacts
{
    private Dictionary<Type, object>? _facts;

    public void Set<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        (_facts ??= [])[typeof(T)] = value;
    }

    public T? Find<T>()
        where T : class =>
        _facts is not null && _facts.TryGetValue(typeof(T), out var value) ? (T)value : null;
}
