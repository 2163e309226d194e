using System.CommandLine;
using Cloudkeep.Estate;

namespace Cloudkeep.Cli.Commands;

/// <summary>The options plan and apply share.</summary>
internal static class EstateCommandLine
{
    public static Command Create(string name, string description, bool withAutoApprove, Func<EstateRunner, EstateArguments, CancellationToken, Task<int>> run)
    {
        var file = new Option<string>("--file", "-f") { Description = "The estate file (YAML).", Required = true };
        var profile = new Option<string?>("--profile") { Description = "The AWS profile to use (default: the SDK's credential chain)." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Send every call to this endpoint (default: AWS_ENDPOINT_URL, else AWS)." };
        var region = new Option<string?>("--region") { Description = "The default region (default: AWS_REGION, else us-east-1)." };
        var autoApprove = new Option<bool>("--auto-approve") { Description = "Apply without asking." };
        var secretsFile = new Option<string?>("--secrets-file") { Description = "Where created secrets (initial passwords, access keys) are written, mode 0600 (default: FILE.secrets.yaml)." };
        var allowDelete = new Option<bool>("--allow-delete") { Description = "Delete live resources the file does not declare, and replace those whose fixed fields changed." };
        var variables = new Option<string[]>("--var") { Description = "Set a variable of the file: NAME=VALUE (VALUE is read as YAML, e.g. '[203.0.113.0/24]'). May be repeated.", AllowMultipleArgumentsPerToken = false };
        var command = new Command(name, description) { file, profile, endpoint, region, variables };
        if (withAutoApprove)
        {
            command.Options.Add(autoApprove);
            command.Options.Add(secretsFile);
            command.Options.Add(allowDelete);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var args = new EstateArguments(parse.GetValue(file)!, parse.GetValue(profile), parse.GetValue(endpoint), parse.GetValue(region), parse.GetValue(autoApprove))
            {
                SecretsFile = parse.GetValue(secretsFile),
                AllowDelete = parse.GetValue(allowDelete),
                Variables = Variables(parse.GetValue(variables) ?? []),
            };
            var runner = new EstateRunner(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected, EstateConnection.Credentials,
                variable => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null, TimeProvider.System);
            return run(runner, args, cancellationToken);
        });
        return command;
    }

    /// <summary>NAME=VALUE pairs; a malformed one is reported by the parser as an unknown variable name.</summary>
    private static Dictionary<string, string> Variables(string[] pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            values[equals < 0 ? pair : pair[..equals]] = equals < 0 ? "" : pair[(equals + 1)..];
        }

        return values;
    }
}
