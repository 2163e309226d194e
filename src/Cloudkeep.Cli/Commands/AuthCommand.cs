using System.CommandLine;
using Cloudkeep.Auth;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep auth: runs a command with a profile's (role's) temporary credentials, asking for the MFA code once per cache lifetime.</summary>
internal static class AuthCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile") { Description = "The profile in ~/.aws/config. Default, as in the AWS CLI: the environment's AWS_ACCESS_KEY_ID, else AWS_PROFILE, else 'default'." };
        var duration = new Option<string?>("--duration") { Description = "How long the role's credentials last: 3600, 1h, 90m (default: the profile's duration_seconds, else STS's 1h)." };
        var mfaCode = new Option<string?>("--mfa-code") { Description = "The MFA code, for scripts (otherwise asked on the terminal, or read from stdin when it is not one)." };
        var export = new Option<bool>("--export") { Description = "Print `export` lines for a POSIX shell instead of running a command: eval \"$(cloudkeep auth --export)\"." };
        var credentialProcess = new Option<bool>("--credential-process") { Description = "Print the credentials as credential_process JSON, for `credential_process = cloudkeep auth --credential-process --profile P`." };
        var clearCache = new Option<bool>("--clear-cache") { Description = "Remove cached credentials from ~/.aws/cli/cache (the profile's with --profile, else all) before anything else." };
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to run, after --, with its arguments." };

        var auth = new Command("auth", "Run a command with temporary credentials for an AWS profile (role_arn, source_profile, mfa_serial), cached with the AWS CLI.")
        {
            profile, duration, mfaCode, export, credentialProcess, clearCache, command,
        };
        auth.SetAction(async (parse, cancellationToken) =>
        {
            var options = new AuthOptions(
                parse.GetValue(profile),
                parse.GetValue(duration),
                parse.GetValue(mfaCode),
                parse.GetValue(export),
                parse.GetValue(credentialProcess),
                parse.GetValue(clearCache),
                parse.GetValue(command) ?? []);
            var runner = new AuthRunner(EnvironmentVariables.FromProcess(), TimeProvider.System, Console.Out, Console.Error, MfaPrompt.ForConsole(options.MfaCode));
            return await runner.RunAsync(options, cancellationToken);
        });
        return auth;
    }
}
