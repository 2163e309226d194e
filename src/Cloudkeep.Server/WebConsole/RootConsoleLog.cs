using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The root password reset's log lines: accounts and addresses only, never the e-mail address asked
/// about (a log reader must not learn which addresses belong to accounts), the link or a password.
/// </summary>
internal static partial class RootConsoleLog
{
    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "console root password reset asked for from {Address}")]
    public static partial void ResetRequested(ILogger logger, string address);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Error, Message = "console root password reset request failed; no link was mailed")]
    public static partial void ResetRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Warning, Message = "console root password of account {AccountId} reset from {Address}")]
    public static partial void ResetCompleted(ILogger logger, string accountId, string address);
}
