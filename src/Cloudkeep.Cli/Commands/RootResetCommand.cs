using System.CommandLine;
using System.Globalization;
using Cloudkeep.Server.WebConsole;
using Cloudkeep.Storage.Files;

namespace Cloudkeep.Cli.Commands;

/// <summary>
/// cloudkeep root-reset: a root password reset link for a machine with no mail set up. It opens the
/// data directory's store itself (it is no network API, so only someone on the server's machine with
/// access to the data directory can run it), raises the same alert as "Forgot password", and prints
/// the link instead of mailing it.
/// </summary>
internal static class RootResetCommand
{
    public static Command Create()
    {
        var account = new Option<string>("--account") { Description = "The 12-digit id of the account whose root password to reset.", Required = true };
        var data = new Option<string?>("--data") { Description = "The server's data directory (CLOUDKEEP_DATA). Default: $XDG_DATA_HOME/cloudkeep or ~/.local/share/cloudkeep." };
        var database = new Option<string?>("--database") { Description = "The server's metadata database when it is not SQLite in the data directory (CLOUDKEEP_DATABASE): postgres://user:pass@host:port/db." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The base of the link (CLOUDKEEP_PUBLIC_URL). Default: what the last server started on this store uses." };
        var command = new Command("root-reset", "Print a one-time link (one hour) to set the root user's password of an account, raising the root-password-reset alert. Run it on the server's machine.")
        {
            account, data, database, publicUrl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var link = await RootAccessSetup.RequestByOperatorAsync(
                    parse.GetValue(data) ?? Env("CLOUDKEEP_DATA") ?? DataDirectory.Default(),
                    parse.GetValue(database) ?? Env("CLOUDKEEP_DATABASE"),
                    Env("CLOUDKEEP_MASTER_KEY"),
                    parse.GetValue(publicUrl) ?? Env("CLOUDKEEP_PUBLIC_URL"),
                    parse.GetValue(account)!.Trim(),
                    TimeProvider.System,
                    cancellationToken);
                foreach (var alert in link.Alerts)
                {
                    Console.Out.WriteLine($"cloudkeep: alert {alert["rule"]} ({alert["severity"]}) raised; the server delivers it to its sinks");
                }

                var until = link.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
                Console.Out.WriteLine($"cloudkeep: the root user of account {link.AccountId} sets a new password at this link; it works once, until {until}:");
                Console.Out.WriteLine(link.Url.AbsoluteUri);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"cloudkeep root-reset: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
