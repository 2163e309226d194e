namespace Cloudkeep.Core.Errors;

/// <summary>
/// The one way a handler or pipeline step reports a failure: the protocol layer turns it into the
/// AWS error shape of the request's protocol. Extra fields (S3's BucketName, Key, ...) travel in
/// <see cref="Fields"/>.
/// </summary>
public sealed class AwsException : Exception
{
    public AwsException(AwsError error, string message)
        : base(message)
    {
        Error = error;
    }

    public AwsException()
        : this(CommonErrors.InternalFailure, CommonErrors.InternalFailure.DefaultMessage)
    {
    }

    public AwsException(string message)
        : this(CommonErrors.InternalFailure, message)
    {
    }

    public AwsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = CommonErrors.InternalFailure;
    }

    public AwsError Error { get; }

    public string Code => Error.Code;

    public int HttpStatus => Error.HttpStatus;

    /// <summary>Extra elements written next to Code and Message (e.g. S3's Resource or BucketName).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];

    /// <summary>Response headers the error carries (S3's x-amz-delete-marker on a key whose current version is a delete marker).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
