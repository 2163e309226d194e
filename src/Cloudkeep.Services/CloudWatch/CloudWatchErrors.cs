using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>
/// CloudWatch's errors, named by their query codes whatever the protocol (the JSON and CBOR
/// answers carry the same code in x-amzn-query-error): the model's exception shapes and the
/// common ValidationError and MissingParameter.
/// </summary>
public static class CloudWatchErrors
{
    public const string SigningName = "monitoring";

    public static readonly AwsError InvalidParameterValue =
        new("InvalidParameterValue", 400, ErrorFault.Sender, "An input parameter that is mandatory for processing the request is not supplied.");

    public static readonly AwsError MissingParameter =
        new("MissingParameter", 400, ErrorFault.Sender, "An input parameter that is required is missing.");

    public static readonly AwsError InvalidParameterCombination =
        new("InvalidParameterCombination", 400, ErrorFault.Sender, "Parameters were used together that cannot be used together.");

    public static readonly AwsError ResourceNotFound =
        new("ResourceNotFound", 404, ErrorFault.Sender, "The named resource does not exist.");

    public static readonly AwsError ResourceNotFoundException =
        new("ResourceNotFoundException", 404, ErrorFault.Sender, "The named resource does not exist.");

    public static readonly AwsError LimitExceeded =
        new("LimitExceeded", 400, ErrorFault.Sender, "The quota for alarms for this customer has already been reached.");

    public static readonly AwsError InvalidNextToken =
        new("InvalidNextToken", 400, ErrorFault.Sender, "The next token specified is invalid.");

    public static readonly AwsError InvalidFormat =
        new("InvalidFormat", 400, ErrorFault.Sender, "Data was not syntactically valid JSON.");

    public static AwsException Invalid(string parameter, object? value) =>
        InvalidParameterValue.ToException($"The value {value} for parameter {parameter} is invalid.");
}
