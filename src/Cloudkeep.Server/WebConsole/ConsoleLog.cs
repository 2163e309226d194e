using Microsoft.Extensions.Logging;

namespace Cloudkeep.Server.WebConsole;

/// <summary>
/// The console's log lines. They name paths (never query strings or form fields), principals and
/// addresses; no password, secret key, MFA seed or code, session cookie or token ever reaches them.
/// </summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "console {Method} {Path}")]
    public static partial void Request(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "console sign-in of {UserArn} (MFA {Mfa}) from {Address}")]
    public static partial void SignedIn(ILogger logger, string userArn, bool mfa, string address);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "console sign-in failed from {Address}")]
    public static partial void SignInFailed(ILogger logger, string address);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "console sign-in throttled from {Address}")]
    public static partial void SignInThrottled(ILogger logger, string address);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "console sign-out of {UserArn}")]
    public static partial void SignedOut(ILogger logger, string userArn);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "console form refused without a valid antiforgery token: {Path}")]
    public static partial void AntiforgeryRefused(ILogger logger, string path);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "console {UserArn} switched to {RoleArn}")]
    public static partial void Switched(ILogger logger, string userArn, string roleArn);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "console {UserArn} refused switching to {RoleArn}: {Code}")]
    public static partial void SwitchRefused(ILogger logger, string userArn, string roleArn, string code);
}
