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
    public static Exception Error(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var (reason, message) = Classify(problems[0]);
        return OrganizationsErrors.WithReason(OrganizationsErrors.InvalidInput, reason, message);
    }

    // The validator words problems as AWS's other services do; each wording maps to one reason.
    private static (string Reason, string Message) Classify(string problem) => problem switch
    {
        _ when problem.EndsWith("Member must not be null", StringComparison.Ordinal) => ("INPUT_REQUIRED", "You must include a value for all required parameters."),
        _ when problem.Contains("regular expression pattern", StringComparison.Ordinal) => ("INVALID_PATTERN", "You provided a value that doesn't match the required pattern."),
        _ when problem.Contains("enum value set", StringComparison.Ordinal) => ("INVALID_ENUM", "You specified an invalid value."),
        _ when problem.Contains("length greater than or equal", StringComparison.Ordinal) => ("MIN_LENGTH_EXCEEDED", "You provided a string parameter that is shorter than allowed."),
        _ when problem.Contains("length less than or equal", StringComparison.Ordinal) => ("MAX_LENGTH_EXCEEDED", "You provided a string parameter that is longer than allowed."),
        _ when problem.Contains("value greater than or equal", StringComparison.Ordinal) => ("MIN_VALUE_EXCEEDED", "You provided a numeric parameter that has a smaller value than allowed."),
        _ when problem.Contains("value less than or equal", StringComparison.Ordinal) => ("MAX_VALUE_EXCEEDED", "You provided a numeric parameter that has a larger value than allowed."),
        _ => ("INVALID_PATTERN", "You provided a value that doesn't match the required pattern."),
    };
}
