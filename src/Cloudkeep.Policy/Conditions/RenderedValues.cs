namespace Cloudkeep.Policy;

/// <summary>Condition values after substitution: slices of one buffer. Default (empty) means "use the static text".</summary>
internal readonly ref struct RenderedValues(ReadOnlySpan<char> buffer, ReadOnlySpan<int> bounds)
{
    private readonly ReadOnlySpan<char> _buffer = buffer;
    private readonly ReadOnlySpan<int> _bounds = bounds;

    public bool IsEmpty => _bounds.IsEmpty;

    public ReadOnlySpan<char> this[int index] => _buffer.Slice(_bounds[2 * index], _bounds[(2 * index) + 1]);
}
