namespace Cloudkeep.Backup;

/// <summary>A backup, verification or restore that did not happen, with the reason an operator can act on.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
