using System.Text.Json.Nodes;
using Cloudkeep.Checks;
using Cloudkeep.Core.Errors;
using Cloudkeep.Services.Alerts;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Server.Watch;

/// <summary>What one pass of the security watch did.</summary>
internal readonly record struct SecurityWatchPass(int Accounts, int Findings, int NewHigh, int Failed);

/// <summary>
/// One pass of serve's security watch: for every active account of the estate, the facts read in
/// process (<see cref="InProcessFactReader"/>), the checks `cloudkeep watch` runs (same checks,
/// same ids), an alert for each High or Critical finding the account did not have before, and the
/// findings stored in place of the last pass's. The alerts go to the outbox before the findings
/// are stored, so a pass cut short alerts again rather than never.
/// </summary>
internal sealed class SecurityWatch(
    InProcessFactReader reader,
    WatchFindingsRepository store,
    AccountRepository accounts,
    AlertEngine alerts,
    WatchBaseline baseline,
    IReadOnlyList<string> regions,
    TimeProvider time)
{
    /// <summary>The alert rule name a finding's alert carries (the check's id follows it).</summary>
    public const string RulePrefix = "security-watch-";

    public async Task<SecurityWatchPass> RunAsync(CancellationToken cancellationToken)
    {
        var management = (await accounts.ListAsync(cancellationToken)).FirstOrDefault(a => a.IsManagement)?.AccountId
            ?? throw new InvalidOperationException("the estate has no management account");
        var now = time.GetUtcNow();
        var (count, total, newHigh, failed) = (0, 0, 0, 0);
        foreach (var (id, name) in await reader.AccountsAsync(management, cancellationToken))
        {
            count++;
            IReadOnlyList<Finding> findings;
            try
            {
                var facts = await reader.ReadAsync(id, name, regions, cancellationToken);
                findings = WatchChecks.Run(facts, baseline.For(name, id == management), now);
            }
            catch (AwsException e)
            {
                // An account whose reads are refused (an SCP, a key policy) keeps its last findings and says why.
                failed++;
                await store.FailedAsync(id, now, $"{e.Code}: {e.Message}", cancellationToken);
                continue;
            }

            var seen = (await store.FindingsAsync(id, cancellationToken))
                .GroupBy(f => (f.CheckId, f.Resource)).ToDictionary(g => g.Key, g => g.Min(f => f.FirstSeenMs));
            var fresh = findings.Where(f => f.Severity >= Severity.High && !seen.ContainsKey((f.Id, f.Resource))).ToList();
            await alerts.RaiseAsync([.. fresh.Select(Alert)], cancellationToken);
            var at = now.ToUnixTimeMilliseconds();
            await store.ReplaceAsync(id, now, [.. findings.Select((f, i) => new WatchFindingRow(id, i, f.Id, f.Severity.ToString(), f.Resource, f.Why, f.Fix, seen.GetValueOrDefault((f.Id, f.Resource), at)))], cancellationToken);
            total += findings.Count;
            newHigh += fresh.Count;
        }

        return new SecurityWatchPass(count, total, newHigh, failed);
    }

    /// <summary>A finding as an alert: the fields every alert has (rule, severity, title, description, account), and the finding itself.</summary>
    private static JsonObject Alert(Finding finding) => new()
    {
        ["alertId"] = Guid.NewGuid().ToString("N"),
        ["rule"] = RulePrefix + finding.Id,
        ["builtIn"] = true,
        ["severity"] = finding.Severity.ToString(),
        ["title"] = $"Security watch: new {finding.Severity.ToString().ToLowerInvariant()} finding {finding.Id}",
        ["description"] = finding.Why,
        ["account"] = finding.Account,
        ["finding"] = new JsonObject
        {
            ["id"] = finding.Id,
            ["severity"] = finding.Severity.ToString(),
            ["resource"] = finding.Resource,
            ["why"] = finding.Why,
            ["fix"] = finding.Fix,
        },
    };
}
