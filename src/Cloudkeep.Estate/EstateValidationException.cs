namespace Cloudkeep.Estate;

/// <summary>Every problem found in an estate file, one a line.</summary>
internal sealed class EstateValidationException(IReadOnlyList<string> errors)
    : Exception("the estate file is not valid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
