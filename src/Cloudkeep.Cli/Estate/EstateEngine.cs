using Amazon.Runtime;

namespace Cloudkeep.Cli.Estate;

/// <summary>
/// Compares an estate file with the live estate and applies the difference, resource by resource
/// in kind order (policies before the groups and roles that attach them, roles before the keys whose
/// policies name them, keys before the buckets that use them).
/// </summary>
internal sealed class EstateEngine : IDisposable
{
    private readonly EstateDocument _document;
    private readonly EstateConnection _connection;
    private readonly EstateReferences _references;
    private readonly AccountHandler _accounts;
    private readonly Dictionary<string, AccountContext> _contexts = new(StringComparer.Ordinal);

    private readonly SecretsFile? _secrets;

    public EstateEngine(EstateDocument document, EstateConnection connection, SecretsFile? secrets = null)
    {
        _secrets = secrets;
        _document = document;
        _connection = connection;
        _references = new EstateReferences(document);
        _accounts = new AccountHandler(connection.Organizations, TimeProvider.System);
        _contexts[document.Management!.Name] = new AccountContext(connection, _accounts, owned: false, secrets);
    }

    public SecretsFile? Secrets => _secrets;

    public void Dispose()
    {
        foreach (var context in _contexts.Values)
        {
            context.Dispose();
        }
    }

    private IEnumerable<EstateResource> Ordered => _document.Resources.OrderBy(r => r.Kind);

    public async Task<EstatePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var changes = new List<ResourceChange>();
        foreach (var resource in Ordered)
        {
            var (resolved, unknown) = await ResolveAsync(resource, cancellationToken);
            var context = await ContextAsync(resource.Account, cancellationToken);
            var live = context is null ? null : await CallAsync(resource, "read", () => context.Handlers[resource.Kind].ReadAsync(resolved, cancellationToken));
            if (live is null)
            {
                changes.Add(new ResourceChange(resource, ChangeAction.Create,
                    [.. resource.Fields.Keys.Order(StringComparer.Ordinal).Select(f => new FieldChange(f, null, unknown.Contains(f) ? null : resolved.Fields[f]))]));
                continue;
            }

            var fields = Differences(resolved, live, unknown);
            if (fields.Count > 0)
            {
                changes.Add(new ResourceChange(resource, ChangeAction.Update, fields));
            }
        }

        return new EstatePlan(changes);
    }

    /// <summary>
    /// Applies the plan's changes in its order, except that a change waits for the changes of the
    /// resources it refers to (a role's inline policy naming a key waits for the key). The first
    /// failure stops it with the resource and AWS's error.
    /// </summary>
    public async Task ApplyAsync(EstatePlan plan, TextWriter progress, CancellationToken cancellationToken)
    {
        var pending = plan.Changes.ToList();
        while (pending.Count > 0)
        {
            var change = pending.FirstOrDefault(c => !Dependencies(c.Resource).Any(d => pending.Any(p => p.Resource == d)))
                ?? throw new EstateException($"these resources refer to each other in a cycle: {string.Join(", ", pending.Select(p => p.Resource.Address))}");
            pending.Remove(change);
            await ApplyAsync(change, progress, cancellationToken);
        }
    }

    private async Task ApplyAsync(ResourceChange change, TextWriter progress, CancellationToken cancellationToken)
    {
        var resource = change.Resource;
        var handler = (await ContextAsync(resource.Account, cancellationToken)
            ?? throw new EstateException($"{resource.Address}: account '{resource.Account}' does not exist")).Handlers[resource.Kind];
        var (resolved, unknown) = await ResolveAsync(resource, cancellationToken);
        if (unknown.Count > 0)
        {
            throw new EstateException($"{resource.Address}: {string.Join(", ", unknown)} still refer to something that does not exist");
        }

        progress.Write($"{(change.Action == ChangeAction.Create ? "creating" : "updating")} {resource.Address} ... ");
        await progress.FlushAsync(cancellationToken);
        if (change.Action == ChangeAction.Create)
        {
            await CallAsync(resource, "create", async () =>
            {
                await handler.CreateAsync(resolved, cancellationToken);
                return true;
            });
        }

        // Re-read rather than trust the plan: creation sets defaults, and the plan may be stale.
        var live = await CallAsync(resource, "read", () => handler.ReadAsync(resolved, cancellationToken))
            ?? throw new EstateException($"{resource.Address}: not found after it was created");
        var fields = Differences(resolved, live, unknown).Select(f => f.Field).ToList();
        if (fields.Count > 0)
        {
            await CallAsync(resource, "update", async () =>
            {
                await handler.UpdateAsync(resolved, live, fields, cancellationToken);
                return true;
            });
        }

        progress.WriteLine("done");
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

    private static List<FieldChange> Differences(EstateResource resolved, IReadOnlyDictionary<string, string> live, HashSet<string> unknown) =>
        [.. resolved.Fields.Keys.Order(StringComparer.Ordinal)
            .Where(f => unknown.Contains(f) || live.GetValueOrDefault(f) != resolved.Fields[f])
            .Select(f => new FieldChange(f, live.GetValueOrDefault(f), unknown.Contains(f) ? null : resolved.Fields[f]))];

    /// <summary>The resource with its references replaced, and the fields that name something not created yet.</summary>
    private async Task<(EstateResource Resolved, HashSet<string> Unknown)> ResolveAsync(EstateResource resource, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in resource.Fields)
        {
            var resolved = await _references.ResolveAsync(value,
                account => AccountIdAsync(account, cancellationToken),
                async (account, name) => await ContextAsync(account, cancellationToken) is { } context ? await context.Keys.FindAsync(name, cancellationToken) : null);
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

        context = new AccountContext(connection, _accounts, owned: true, _secrets);
        _contexts[account] = context;
        return context;
    }

    /// <summary>Turns AWS errors into one clear line naming the resource and the step.</summary>
    private static async Task<T> CallAsync<T>(EstateResource resource, string step, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (OrganizationsException e)
        {
            throw new EstateException($"{resource.Address}: {step} failed: {e.Message}", e);
        }
        catch (IamException e)
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
