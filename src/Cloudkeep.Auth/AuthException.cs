namespace Cloudkeep.Auth;

/// <summary>A problem the person running `cloudkeep auth` can act on; the message says what and how, and never holds a secret.</summary>
public sealed class AuthException(string message, int exitCode = 255) : Exception(message)
{
    /// <summary>255 like the AWS CLI for credential and service errors; 2 for usage.</summary>
    public int ExitCode { get; } = exitCode;
}
