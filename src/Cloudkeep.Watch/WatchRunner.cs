using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Cloudkeep.Checks;
using Cloudkeep.Client;
using Spectre.Console;

namespace Cloudkeep.Watch;

/// <summary>What `cloudkeep watch` was asked.</summary>
public sealed record WatchArguments(string? Profile, string? EndpointUrl, string? Region)
{
    /// <summary>The role to assume in every account of the organization; null to check the credentials' own account only.</summary>
    public string? RoleName { get; init; }

    /// <summary>An estate file whose password policies and replicated buckets are the baseline.</summary>
    public string? EstateFile { get; init; }

    public bool Json { get; init; }

    public Severity FailOn { get; init; } = Severity.High;

    /// <summary>KMS regions to read besides the default region and the buckets' regions.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
}

/// <summary>
/// `cloudkeep watch`: reads every account's facts, runs the checks, prints a table or JSON.
/// Exit codes for CI: 0 no finding at or above --fail-on, 1 some, 2 the watch could not run.
/// </summary>
public sealed class WatchRunner(TextWriter output, TextWriter error, Func<string?, AWSCredentials> credentials, Func<string, string?> variable, TimeProvider time)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<int> RunAsync(WatchArguments args, CancellationToken cancellationToken)
    {
        IReadOnlyList<Finding> findings;
        List<string> accounts = [];
        try
        {
            var baseline = args.EstateFile is null ? WatchBaseline.None : WatchBaseline.Load(args.EstateFile);
            var region = args.Region ?? variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? "us-east-1";
            using var home = new WatchConnection(credentials(args.Profile), args.EndpointUrl ?? variable("AWS_ENDPOINT_URL"), region, time, CaBundle.From(variable("AWS_CA_BUNDLE")));
            findings = await CollectAsync(home, args, baseline, accounts, cancellationToken);
        }
        catch (Exception e) when (e is WatchException or IamException or OrganizationsException or CloudTrailException or UnreadableAnswerException or AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            await error.WriteLineAsync($"cloudkeep watch: {e.Message}");
            return 2;
        }

        if (args.Json)
        {
            var report = new JsonObject
            {
                ["checkedAt"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["accounts"] = new JsonArray([.. accounts.Select(a => (JsonNode)a)]),
                ["findings"] = JsonSerializer.SerializeToNode(findings, JsonOptions),
            };
            await output.WriteLineAsync(report.ToJsonString(JsonOptions));
        }
        else
        {
            WriteTable(findings, accounts);
        }

        return findings.Any(f => f.Severity >= args.FailOn) ? 1 : 0;
    }

    /// <summary>Credentials from --profile (the SDK's shared-config reader) or else the SDK's default chain.</summary>
    public static AWSCredentials Credentials(string? profile)
    {
        if (string.IsNullOrEmpty(profile))
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }

        return new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var found)
            ? found
            : throw new WatchException($"AWS profile '{profile}' not found");
    }

    private async Task<IReadOnlyList<Finding>> CollectAsync(WatchConnection home, WatchArguments args, WatchBaseline baseline, List<string> accounts, CancellationToken cancellationToken)
    {
        var own = await home.AccountIdAsync(cancellationToken);
        var now = time.GetUtcNow();
        var findings = new List<Finding>();
        if (args.RoleName is null)
        {
            accounts.Add(own);
            var facts = await new FactCollector(home, args.Regions).CollectAsync(own, null, cancellationToken);
            findings.AddRange(WatchChecks.Run(facts, baseline.For(null, isManagement: true), now));
            return findings;
        }

        // The whole organization: the management account is read with the credentials given, every
        // other active account through the audit role there.
        var organization = (await home.Organizations.CallAsync("DescribeOrganization", new JsonObject(), cancellationToken))["Organization"]?.AsObject();
        var management = organization?["MasterAccountId"]?.GetValue<string>();
        foreach (var account in await home.Organizations.ListAccountsAsync(cancellationToken))
        {
            var id = account["Id"]?.GetValue<string>() ?? "";
            var name = account["Name"]?.GetValue<string>();
            if (account["Status"]?.GetValue<string>() is { } status && status != "ACTIVE")
            {
                continue;
            }

            accounts.Add(id);
            var connection = id == own ? home : await home.AssumeAsync(id, args.RoleName, cancellationToken);
            try
            {
                var facts = await new FactCollector(connection, args.Regions).CollectAsync(id, name, cancellationToken);
                findings.AddRange(WatchChecks.Run(facts, baseline.For(name, id == management), now));
            }
            finally
            {
                if (!ReferenceEquals(connection, home))
                {
                    connection.Dispose();
                }
            }
        }

        return findings;
    }

    private void WriteTable(IReadOnlyList<Finding> findings, List<string> accounts)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if (!terminal)
        {
            // A file or a CI log has no width to fit: 80 columns would wrap every ARN.
            console.Profile.Width = 240;
        }

        if (findings.Count == 0)
        {
            console.WriteLine($"No findings in {accounts.Count} account(s).");
        }
        else
        {
            var table = new Table().AddColumns("Severity", "Check", "Account", "Resource", "Why", "Fix");
            foreach (var finding in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Account, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal))
            {
                var colour = finding.Severity switch { Severity.Critical => "red bold", Severity.High => "red", Severity.Medium => "yellow", _ => "grey" };
                table.AddRow(new Markup($"[{colour}]{finding.Severity}[/]"), new Text(finding.Id), new Text(finding.Account), new Text(finding.Resource), new Text(finding.Why), new Text(finding.Fix));
            }

            console.Write(table);
            var counts = string.Join(", ", findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
            console.WriteLine($"{findings.Count} finding(s) in {accounts.Count} account(s): {counts}.");
        }
    }
}
