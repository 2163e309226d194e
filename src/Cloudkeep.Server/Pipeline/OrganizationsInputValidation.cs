using Cloudkeep.Protocol.Serialization;
using Cloudkeep.Services.Organizations;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Organizations answers input that breaks the model's constraints with InvalidInputException and
/// a Reason (e.g. a malformed policy id: "You provided a value that doesn't match the required
/// pattern."), not with the ValidationException of the other JSON services. The reason and message
/// are those the model documents for the first problem found.
/// </summary>
internal static class OrganizationsInputValidation
{
    public const string SigningName = "organizations";

    /// <summary>The error for the validator's problems: the first one's reason and message.</summary>
    public static Exception Error(IReadOnlyList<InputProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var (reason, message) = Classify(problems[0].Kind);
        return OrganizationsErrors.WithReason(OrganizationsErrors.InvalidInput, reason, message);
    }

    // Each kind of problem has one InvalidInputExceptionReason and the message the model documents for it.
    private static (string Reason, string Message) Classify(InputProblemKind kind) => kind switch
    {
        InputProblemKind.Required => ("INPUT_REQUIRED", "You must include a value for all required parameters."),
        InputProblemKind.Enum => ("INVALID_ENUM", "You specified an invalid value."),
        InputProblemKind.MinLength => ("MIN_LENGTH_EXCEEDED", "You provided a string parameter that is shorter than allowed."),
        InputProblemKind.MaxLength => ("MAX_LENGTH_EXCEEDED", "You provided a string parameter that is longer than allowed."),
        InputProblemKind.MinValue => ("MIN_VALUE_EXCEEDED", "You provided a numeric parameter that has a smaller value than allowed."),
        InputProblemKind.MaxValue => ("MAX_VALUE_EXCEEDED", "You provided a numeric parameter that has a larger value than allowed."),
        _ => ("INVALID_PATTERN", "You provided a value that doesn't match the required pattern."),
    };
}
