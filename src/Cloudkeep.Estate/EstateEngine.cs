using Amazon.Runtime;
using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// Compares an estate file with the live estate and applies the difference, resource by resource
/// in kind order (policies before the groups and roles that attach them, roles before the keys whose
/// policies name them, keys before the buckets that use them).
/// </summary>
internal sealed partial class EstateEngine : IDisposable
{
    private readonly EstateDocument _document;
    private readonly EstateConnection _connection;
    private readonly EstateReferences _references;
    private readonly AccountHandler _accounts;
    private readonly OrganizationalUnitHandler _units;
    private readonly Dictionary<string, AccountContext> _contexts = new(StringComparer.Ordinal);

    private readonly SecretsFile? _secrets;

    public EstateEngine(EstateDocument document, EstateConnection connection, SecretsFile? secrets = null)
    {
        _secrets = secrets;
        _document = document;
        _connection = connection;
        _references = new EstateReferences(document, connection.DefaultRegion);
        _accounts = new AccountHandler(connection.Organizations, connection.Time);
        _units = new OrganizationalUnitHandler(connection.Organizations);
        _contexts[document.Management!.Name] = new AccountContext(connection, _accounts, owned: false, secrets, KeyRegions(document.Management.Name), ServiceRegions(document.Management.Name));
    }

    public SecretsFile? Secrets => _secrets;

    public void Dispose()
    {
        foreach (var context in _contexts.Values)
        {
            context.Dispose();
        }
    }

    private IEnumerable<EstateResource> InKindOrder => _document.Resources.OrderBy(r => r.Kind);

    /// <summary>
    /// Applies the plan's changes in its order, except that a change waits for the changes of the
    /// resources it refers to (a role's inline policy naming a key waits for the key); deletions
    /// come last. The first failure stops it with the resource and AWS's error, after undoing what
    /// was already done to that resource.
    /// </summary>
    /// <returns>How many changes were left for a person to make (their commands are in the progress output).</returns>
    public async Task<int> ApplyAsync(EstatePlan plan, TextWriter progress, CancellationToken cancellationToken)
    {
        var pending = 0;
        foreach (var change in Ordered(plan.Changes))
        {
            pending += await ApplyAsync(change, progress, cancellationToken) ? 0 : 1;
        }

        return pending;
    }

    /// <summary>
    /// The order apply takes: each creation or update after the changes of what it refers to, then
    /// the deletions. A cycle is found here, before anything is changed.
    /// </summary>
    private List<ResourceChange> Ordered(IReadOnlyList<ResourceChange> changes)
    {
        var pending = changes.Where(c => c.Action != ChangeAction.Delete).ToList();
        var ordered = new List<ResourceChange>();
        while (pending.Count > 0)
        {
            var change = pending.FirstOrDefault(c => !Dependencies(c.Resource).Any(d => pending.Any(p => p.Resource == d)))
                ?? throw new EstateException($"these resources refer to each other in a cycle, so none can be created first: {string.Join(", ", pending.Where(c => Dependencies(c.Resource).Any(d => pending.Any(p => p.Resource == d))).Select(p => p.Resource.Address))}");
            pending.Remove(change);
            ordered.Add(change);
        }

        return [.. ordered, .. changes.Where(c => c.Action == ChangeAction.Delete)];
    }

    /// <returns>False when some of the change is left for a person to make.</returns>
    private async Task<bool> ApplyAsync(ResourceChange change, TextWriter progress, CancellationToken cancellationToken)
    {
        string? manualStep = null;
        var resource = change.Resource;
        var handler = (await ContextAsync(resource.Account, cancellationToken)
            ?? throw new EstateException($"{resource.Address}: account '{resource.Account}' does not exist")).Handlers[resource.Kind];
        var verb = change.Action switch
        {
            ChangeAction.Create => "creating",
            ChangeAction.Update => "updating",
            ChangeAction.Replace => "replacing",
            _ => "deleting",
        };
        progress.Write($"{verb} {resource.Address} ... ");
        await progress.FlushAsync(cancellationToken);
        if (change.Action is ChangeAction.Delete or ChangeAction.Replace)
        {
            // A replacement's deletion is all or nothing on its own; once it is done there is nothing left to restore.
            await JournaledAsync(resource, "delete", journal => handler.DeleteAsync(resource, journal, cancellationToken));
        }

        if (change.Action != ChangeAction.Delete)
        {
            var (resolved, unknown) = await ResolveAsync(resource, cancellationToken);
            if (unknown.Count > 0)
            {
                throw new EstateException($"{resource.Address}: {string.Join(", ", unknown)} still refer to something that does not exist");
            }

            await JournaledAsync(resource, change.Action == ChangeAction.Update ? "update" : "create", async journal =>
            {
                if (change.Action != ChangeAction.Update)
                {
                    await handler.CreateAsync(resolved, journal, cancellationToken);
                }

                // Re-read rather than trust the plan: creation sets defaults, and the plan may be stale.
                var live = await handler.ReadAsync(resolved, cancellationToken)
                    ?? throw new EstateException($"{resource.Address}: not found after it was created");
                var fields = Differences(resolved, live, unknown).Select(f => f.Field).ToList();
                var manual = handler is IManualFields person ? fields.Where(person.ManualFields(live).Contains).ToList() : [];
                fields.RemoveAll(manual.Contains);
                if (fields.Count > 0)
                {
                    await handler.UpdateAsync(resolved, live, fields, journal, cancellationToken);
                }

                if (manual.Count > 0)
                {
                    manualStep = await ((IManualFields)handler).ManualStepAsync(resolved, live, manual, cancellationToken);
                }
            });
        }

        if (manualStep is not null)
        {
            // Not "done": the plan keeps showing this change until the person has made it.
            progress.WriteLine($"pending\n  {manualStep}");
            return false;
        }

        progress.WriteLine("done");
        return true;
    }

    /// <summary>Runs one resource's calls; when one fails, undoes the ones already made and says so.</summary>
    private static async Task JournaledAsync(EstateResource resource, string step, Func<ChangeJournal, Task> calls)
    {
        var journal = new ChangeJournal();
        try
        {
            await CallAsync(resource, step, async () =>
            {
                await calls(journal);
                return true;
            });
        }
        catch (EstateException e) when (journal.Count > 0)
        {
            var undone = journal.Count;
            var failures = await journal.RollbackAsync();
            throw new EstateException(failures.Count == 0
                ? $"{e.Message}\n  the {undone} change(s) already made to {resource.Address} were undone"
                : $"{e.Message}\n  undoing the changes already made to {resource.Address} failed too: {string.Join("; ", failures)}", e);
        }
    }

    /// <summary>
    /// What must exist before a resource: an inline policy's owner, a user's groups, and what it
    /// refers to, except that identity policies need only the keys they name. Their other ARNs
    /// follow from names and IAM does not check them, which breaks the usual cycle of a policy
    /// naming a bucket whose policy names the role the policy is attached to.
    /// </summary>
    private IEnumerable<EstateResource> Dependencies(EstateResource resource)
    {
        var named = resource.Kind switch
        {
            ResourceKind.GroupPolicy => [(ResourceKind.Group, resource.InlineParts.Owner)],
            ResourceKind.RolePolicy => [(ResourceKind.Role, resource.InlineParts.Owner)],
            ResourceKind.Subscription => [(ResourceKind.Topic, resource.InlineParts.Owner)],
            ResourceKind.OrganizationalUnit when resource.Name.Contains('/', StringComparison.Ordinal) => [(ResourceKind.OrganizationalUnit, resource.Name[..resource.Name.LastIndexOf('/')])],
            ResourceKind.User when resource.Fields.TryGetValue("groups", out var groups) =>
                System.Text.Json.JsonSerializer.Deserialize<string[]>(groups)!.Select(g => (ResourceKind.Group, g)),
            _ => Enumerable.Empty<(ResourceKind, string)>(),
        };
        var account = resource.Kind == ResourceKind.Account ? [] : _document.Resources.Where(r => r.Kind == ResourceKind.Account && r.Name == resource.Account);
        var identityPolicy = resource.Kind is ResourceKind.Policy or ResourceKind.GroupPolicy or ResourceKind.RolePolicy;
        // A target in a member account needs at least that account, for its id.
        var targets = _references.Targets(resource).ToList();
        var targetAccounts = _document.Resources.Where(r => r.Kind == ResourceKind.Account && targets.Any(t => t.Account == r.Name));
        return targets.Where(t => !identityPolicy || t.Kind == ResourceKind.Key).Concat(account).Concat(targetAccounts).Concat(_document.Resources.Where(r => r.Account == resource.Account && named.Contains((r.Kind, r.Name))));
    }

    /// <summary>The resource with its references replaced, and the fields that name something not created yet.</summary>
    private async Task<(EstateResource Resolved, HashSet<string> Unknown)> ResolveAsync(EstateResource resource, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in resource.Fields)
        {
            var resolved = await _references.ResolveAsync(value,
                account => AccountIdAsync(account, cancellationToken),
                async (account, name) => await ContextAsync(account, cancellationToken) is { } context ? await context.Keys.FindAsync(name, cancellationToken) : null,
                path => _units.FindIdAsync(path, cancellationToken),
                async (account, zone) => await ContextAsync(account, cancellationToken) is { } context ? await context.Zones.NameServersAsync(zone, cancellationToken) : null);
            if (resolved is null)
            {
                unknown.Add(field);
                fields[field] = value;
            }
            else
            {
                fields[field] = resolved;
            }
        }

        return (resource with { Fields = fields }, unknown);
    }

    /// <summary>An account's id: the management account's from STS, a member's from the organization (null while it does not exist).</summary>
    private async Task<string?> AccountIdAsync(string account, CancellationToken cancellationToken) =>
        account == _document.Management!.Name
            ? await _connection.AccountIdAsync(cancellationToken)
            : await _accounts.FindIdAsync(account, cancellationToken);

    /// <summary>The clients of an account, or null when it is a member account that does not exist yet.</summary>
    private async Task<AccountContext?> ContextAsync(string account, CancellationToken cancellationToken)
    {
        if (_contexts.TryGetValue(account, out var context))
        {
            return context;
        }

        if (await AccountIdAsync(account, cancellationToken) is not { } id)
        {
            return null;
        }

        EstateConnection connection;
        try
        {
            connection = await _connection.ForAccountAsync(id, cancellationToken);
        }
        catch (AmazonServiceException e)
        {
            throw new EstateException($"account {account} ({id}): cannot assume OrganizationAccountAccessRole: {e.ErrorCode}: {e.Message}", e);
        }

        context = new AccountContext(connection, _accounts, owned: true, _secrets, KeyRegions(account), ServiceRegions(account));
        _contexts[account] = context;
        return context;
    }

    /// <summary>The regions the file places an account's keys in ("NAME@REGION"), so deletions look there too.</summary>
    private string[] KeyRegions(string account) =>
        [.. _document.Resources.Where(r => r.Kind == ResourceKind.Key && r.Account == account && r.Name.Contains('@', StringComparison.Ordinal))
            .Select(r => r.Name[(r.Name.IndexOf('@', StringComparison.Ordinal) + 1)..]).Distinct()];

    /// <summary>The regions the file places an account's topics and alarms in, beside the command's, so deletions look there too.</summary>
    private string[] ServiceRegions(string account) =>
        [.. _document.Resources.Where(r => r.Kind is ResourceKind.Topic or ResourceKind.Alarm && r.Account == account)
            .Select(r => r.Fields.GetValueOrDefault("region") ?? _connection.DefaultRegion).Prepend(_connection.DefaultRegion).Distinct()];

    /// <summary>Turns AWS errors into one clear line naming the resource and the step.</summary>
    private static async Task<T> CallAsync<T>(EstateResource resource, string step, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (UnreadableAnswerException e)
        {
            // Nothing AWS-shaped came back to name a failure by; the message already says which call and what came.
            throw new EstateException(e.Message, e);
        }
        catch (OrganizationsException e)
        {
            throw new EstateException($"{resource.Address}: {step} failed: {e.Message}", e);
        }
        catch (IamException e)
        {
            throw new EstateException($"{resource.Address}: {step} failed: {e.Message}", e);
        }
        catch (Exception e) when (e is CloudTrailException or Route53Exception or SnsException or CloudWatchException or BudgetsException)
        {
            throw new EstateException($"{resource.Address}: {step} failed: {e.Message}", e);
        }
        catch (AmazonServiceException e)
        {
            throw new EstateException($"{resource.Address}: {step} failed: {e.ErrorCode}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new EstateException($"{resource.Address}: {step} failed: the endpoint could not be reached: {e.Message}", e);
        }
    }
}
