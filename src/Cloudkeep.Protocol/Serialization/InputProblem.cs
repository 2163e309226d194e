namespace Cloudkeep.Protocol.Serialization;

/// <summary>Which of the model's constraints an input member breaks.</summary>
public enum InputProblemKind
{
    Required,
    Pattern,
    Enum,
    MinLength,
    MaxLength,
    MinValue,
    MaxValue,
}

/// <summary>One problem the validator found: its kind, for services that word it their own way, and AWS's usual wording.</summary>
public sealed record InputProblem(InputProblemKind Kind, string Message)
{
    public override string ToString() => Message;
}
