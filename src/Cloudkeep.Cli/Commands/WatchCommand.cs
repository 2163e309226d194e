using System.CommandLine;
using Cloudkeep.Checks;
using Cloudkeep.Watch;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep watch: the security checks over an account or the whole organization.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile") { Description = "The AWS profile to use (default: the SDK's credential chain): an audit identity's." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Send every call to this endpoint (default: AWS_ENDPOINT_URL, else AWS)." };
        var region = new Option<string?>("--region") { Description = "The default region (default: AWS_REGION, else us-east-1)." };
        var role = new Option<string?>("--role-name") { Description = "Check every account of the organization, assuming this role in each (e.g. security_audit). Without it, only the credentials' own account." };
        var estate = new Option<string?>("--estate") { Description = "An estate file: its password policies and replicated buckets are the baseline." };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON instead of a table." };
        var failOn = new Option<Severity>("--fail-on") { Description = "Exit 1 when a finding is at least this severe (low, medium, high, critical).", DefaultValueFactory = _ => Severity.High };
        var regions = new Option<string[]>("--check-region", "--kms-region") { Description = "Also check KMS keys and trails in this region (besides the default region and the buckets' regions). May be repeated." };
        var command = new Command("watch", "Check the estate's security (root use, MFA, keys, password policy, public or unprotected buckets, role trust, admin policies, KMS key policies, trails). Exit code 0 = no finding at or above --fail-on, 1 = some, 2 = error.")
        {
            profile, endpoint, region, role, estate, json, failOn, regions,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var args = new WatchArguments(parse.GetValue(profile), parse.GetValue(endpoint), parse.GetValue(region))
            {
                RoleName = parse.GetValue(role),
                EstateFile = parse.GetValue(estate),
                Json = parse.GetValue(json),
                FailOn = parse.GetValue(failOn),
                Regions = parse.GetValue(regions) ?? [],
            };
            var runner = new WatchRunner(Console.Out, Console.Error, WatchRunner.Credentials,
                variable => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null, TimeProvider.System);
            return runner.RunAsync(args, cancellationToken);
        });
        return command;
    }
}
