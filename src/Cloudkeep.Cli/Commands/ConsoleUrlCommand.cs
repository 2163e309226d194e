using System.CommandLine;
using Cloudkeep.Auth;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep console-url: prints the console's switch-role link for a profile's role.</summary>
internal static class ConsoleUrlCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile") { Description = "The profile whose role_arn to switch to (default: AWS_PROFILE, else 'default')." };
        var console = new Option<string?>("--console") { Description = "The console's base URL (CLOUDKEEP_CONSOLE_URL). Default: <endpoint>/console for a configured endpoint, else AWS's sign-in host." };
        var displayName = new Option<string?>("--display-name") { Description = "The name the console shows for the role (default: the profile's name)." };
        var command = new Command("console-url", "Print the console's switch-role URL for a profile's role.") { profile, console, displayName };
        command.SetAction(parse =>
        {
            try
            {
                var environment = EnvironmentVariables.FromProcess();
                Console.Out.WriteLine(ConsoleUrl.For(ProfileSet.Load(environment), environment, parse.GetValue(profile), parse.GetValue(console), parse.GetValue(displayName)));
                return 0;
            }
            catch (Exception e) when (e is AuthException or ProfileFileException)
            {
                Console.Error.WriteLine($"cloudkeep console-url: {e.Message}");
                return e is AuthException auth ? auth.ExitCode : 255;
            }
        });
        return command;
    }
}
