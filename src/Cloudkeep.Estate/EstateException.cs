namespace Cloudkeep.Estate;

/// <summary>An estate file that cannot be used, or a live call that failed: the message is for the user.</summary>
internal sealed class EstateException(string message, Exception? inner = null) : Exception(message, inner);
