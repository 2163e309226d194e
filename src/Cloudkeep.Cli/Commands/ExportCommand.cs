using System.CommandLine;
using Cloudkeep.Estate;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep export: the live estate as an estate file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the estate file here (default: standard output)." };
        var management = new Option<string>("--management-name") { Description = "The name the file gives the management account.", DefaultValueFactory = _ => "main" };
        var profile = new Option<string?>("--profile") { Description = "The AWS profile to use (default: the SDK's credential chain)." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Send every call to this endpoint (default: AWS_ENDPOINT_URL, else AWS)." };
        var region = new Option<string?>("--region") { Description = "The default region (default: AWS_REGION, else us-east-1)." };
        var keyRegions = new Option<string[]>("--key-region") { Description = "Also export the KMS keys of this region (keys are regional; the default region is always read). May be repeated." };
        var command = new Command("export", "Write the live estate (every account of the organization) as an estate file.") { output, management, profile, endpoint, region, keyRegions };
        command.SetAction((parse, cancellationToken) =>
        {
            var args = new EstateArguments("", parse.GetValue(profile), parse.GetValue(endpoint), parse.GetValue(region), AutoApprove: false) { KeyRegions = parse.GetValue(keyRegions) ?? [] };
            var runner = new EstateRunner(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected, EstateConnection.Credentials,
                variable => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null, TimeProvider.System);
            return runner.ExportAsync(args, parse.GetValue(output), parse.GetValue(management)!, cancellationToken);
        });
        return command;
    }
}
