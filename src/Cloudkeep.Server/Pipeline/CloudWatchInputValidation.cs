using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Serialization;
using Cloudkeep.Services.CloudWatch;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// CloudWatch words the model's constraints as its query API always has, whatever the protocol: a
/// required member missing is MissingParameter ("The parameter MetricName is required."), anything
/// else the common ValidationError ("1 validation error detected: ...").
/// </summary>
internal static class CloudWatchInputValidation
{
    public static Exception Error(IReadOnlyList<InputProblem> problems)
    {
        if (problems.FirstOrDefault(p => p.Kind == InputProblemKind.Required) is { } missing)
        {
            var start = missing.Message.IndexOf('\'', StringComparison.Ordinal) + 1;
            var path = missing.Message[start..missing.Message.IndexOf('\'', start)];
            var name = path[(path.LastIndexOf('.') + 1)..];
            return CloudWatchErrors.MissingParameter.ToException($"The parameter {char.ToUpperInvariant(name[0])}{name[1..]} is required.");
        }

        return CommonErrors.ValidationError.ToException(InputValidator.FormatMessage(problems));
    }
}
