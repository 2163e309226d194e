using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Logs;

/// <summary>CloudWatch Logs' errors: the model's exception shapes, all 400 sender faults, with the messages the service gives.</summary>
public static class LogsErrors
{
    public static readonly AwsError InvalidParameter =
        new("InvalidParameterException", 400, ErrorFault.Sender, "A parameter is specified incorrectly.");

    public static readonly AwsError ResourceNotFound =
        new("ResourceNotFoundException", 400, ErrorFault.Sender, "The specified resource does not exist.");

    public static readonly AwsError ResourceAlreadyExists =
        new("ResourceAlreadyExistsException", 400, ErrorFault.Sender, "The specified resource already exists.");

    public static readonly AwsError LimitExceeded =
        new("LimitExceededException", 400, ErrorFault.Sender, "You have reached the maximum number of resources that can be created.");
}
