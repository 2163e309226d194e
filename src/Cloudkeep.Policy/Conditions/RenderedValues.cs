namespace Cloudkeep.Policy;

/// <summary>
/// Condition values after substitution: slices of one buffer. Default (empty) means "use the static text". A value
/// whose variable has no value in the request has the length <see cref="NoValue"/> and matches nothing.
/// </summary>
internal readonly ref struct RenderedValues(ReadOnlySpan<char> buffer, ReadOnlySpan<int> bounds)
{
    public const int NoValue = -1;

    private readonly ReadOnlySpan<char> _buffer = buffer;
    private readonly ReadOnlySpan<int> _bounds = bounds;

    public bool IsEmpty => _bounds.IsEmpty;

    public bool HasNoValue(int index) => _bounds[(2 * index) + 1] == NoValue;

    public ReadOnlySpan<char> this[int index] => _buffer.Slice(_bounds[2 * index], _bounds[(2 * index) + 1]);
}
