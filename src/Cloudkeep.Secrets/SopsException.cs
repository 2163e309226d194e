namespace Cloudkeep.Secrets;

/// <summary>A failure of a secrets command, with the exit status sops uses for it.</summary>
public sealed class SopsException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>
    /// Set by a store whose format the content is not in, so that the error can say how that format was chosen
    /// (see <see cref="Stores.ChosenStore"/>).
    /// </summary>
    public bool NotInFormat { get; init; }
}

/// <summary>sops's exit statuses (cmd/sops/codes), so scripts written for sops read ours the same way.</summary>
internal static class SopsExitCodes
{
    public const int ErrorGeneric = 1;
    public const int CouldNotReadInputFile = 2;
    public const int CouldNotWriteOutputFile = 3;
    public const int ErrorReadingConfig = 5;
    public const int ErrorInvalidKmsEncryptionContextFormat = 6;
    public const int ErrorEncryptingTree = 23;
    public const int ErrorDecryptingMac = 24;
    public const int ErrorDecryptingTree = 25;
    public const int MacMismatch = 51;
    public const int MacNotFound = 52;
    public const int ConfigFileNotFound = 61;
    public const int NoEncryptionKeyFound = 111;
    public const int CouldNotRetrieveKey = 128;
    public const int FileHasNotBeenModified = 200;
    public const int NoEditorFound = 201;
    public const int FileAlreadyEncrypted = 203;
}
