namespace Cloudkeep.Client;

/// <summary>
/// An answer in no form the service's protocol has (IAM's not XML, Organizations' not JSON), such as a
/// proxy's error page: there is no error code in it to act on, only the HTTP status. The message is for the user.
/// </summary>
public sealed class UnreadableAnswerException(string message) : Exception(message);
