namespace Cloudkeep.Auth;

/// <summary>A shared config or credentials file that cannot be read as the AWS CLI reads it; the message names the file and line.</summary>
public sealed class ProfileFileException(string message) : Exception(message);
