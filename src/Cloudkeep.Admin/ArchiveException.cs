namespace Cloudkeep.Admin;

/// <summary>An estate backup or restore that did not happen, with the reason an operator can act on.</summary>
public sealed class ArchiveException(string message, Exception? inner = null) : Exception(message, inner);
