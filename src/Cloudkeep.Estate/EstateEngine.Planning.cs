namespace Cloudkeep.Estate;

/// <summary>Planning: what differs between the file and the live estate, what the file no longer declares, and what replacements take with them.</summary>
internal sealed partial class EstateEngine
{
    public async Task<EstatePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var changes = new List<ResourceChange>();
        var unreachable = new List<string>();
        foreach (var resource in InKindOrder)
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

            var handler = context!.Handlers[resource.Kind];
            var fixedFields = handler.FixedFields;
            var manual = handler is IManualFields person ? person.ManualFields(live) : [];
            unreachable.AddRange(handler is IManualFields guarded ? guarded.Unreachable(resolved, live) : []);
            var fields = Differences(resolved, live, unknown).Select(f => f with { ForcesReplacement = fixedFields.Contains(f.Field), Manual = manual.Contains(f.Field) }).ToList();
            if (fields.Count > 0)
            {
                changes.Add(new ResourceChange(resource, fields.Any(f => f.ForcesReplacement) ? ChangeAction.Replace : ChangeAction.Update, fields));
            }
        }

        if (unreachable.Count > 0)
        {
            throw new EstateException($"the file asks for what AWS cannot do:\n  {string.Join("\n  ", unreachable)}");
        }

        await AddReplacementDependentsAsync(changes, cancellationToken);
        var notes = new List<string>();
        changes.AddRange(await DeletionsAsync(notes, cancellationToken));
        return new EstatePlan(Ordered(changes), notes);
    }

    /// <summary>
    /// What a replacement takes with it and apply must put back: a group's or role's inline
    /// policies are created again, and the groups and roles a replaced managed policy was attached to
    /// get it attached again.
    /// </summary>
    private async Task AddReplacementDependentsAsync(List<ResourceChange> changes, CancellationToken cancellationToken)
    {
        foreach (var replaced in changes.Where(c => c.Action == ChangeAction.Replace).Select(c => c.Resource).ToList())
        {
            var dependents = replaced.Kind switch
            {
                ResourceKind.Group or ResourceKind.Role => _document.Resources.Where(r =>
                    r.Kind == (replaced.Kind == ResourceKind.Group ? ResourceKind.GroupPolicy : ResourceKind.RolePolicy)
                    && r.Account == replaced.Account && r.InlineParts.Owner == replaced.Name),
                ResourceKind.Policy => _document.Resources.Where(r =>
                    r.Kind is ResourceKind.Group or ResourceKind.Role && r.Account == replaced.Account
                    && r.Fields.TryGetValue("policies", out var policies) && policies.Contains($"${{policy.{replaced.Account}.{replaced.Name}.arn}}", StringComparison.Ordinal)),
                _ => [],
            };
            foreach (var dependent in dependents)
            {
                var index = changes.FindIndex(c => c.Resource == dependent);
                if (index >= 0 && changes[index].Action != ChangeAction.Update)
                {
                    continue;
                }

                var (resolved, unknown) = await ResolveAsync(dependent, cancellationToken);
                var change = dependent.Kind is ResourceKind.GroupPolicy or ResourceKind.RolePolicy
                    ? new ResourceChange(dependent, ChangeAction.Create, [new FieldChange("document", null, unknown.Contains("document") ? null : resolved.Fields["document"])])
                    : new ResourceChange(dependent, ChangeAction.Update,
                        [.. (index >= 0 ? changes[index].Fields.Where(f => f.Field != "policies") : []),
                            new FieldChange("policies", $"(detached by the replacement of {replaced.Address})", unknown.Contains("policies") ? null : resolved.Fields["policies"])]);
                if (index >= 0)
                {
                    changes[index] = change;
                }
                else
                {
                    changes.Add(change);
                }
            }
        }
    }

    /// <summary>
    /// The live resources of the file's accounts that the file does not declare, in the order apply
    /// deletes them (the reverse of creation). Inline policies of an owner being deleted go with it.
    /// What AWS made itself is not listed, and neither is the identity running the command.
    /// </summary>
    private async Task<List<ResourceChange>> DeletionsAsync(List<string> notes, CancellationToken cancellationToken)
    {
        var deletions = new List<ResourceChange>();
        var caller = await _connection.CallerArnAsync(cancellationToken);
        foreach (var account in _document.Accounts)
        {
            if (await ContextAsync(account.Name, cancellationToken) is not { } context)
            {
                continue;
            }

            foreach (var kind in Enum.GetValues<ResourceKind>().Where(k => k is not (ResourceKind.Account or ResourceKind.AccountSettings)).Reverse())
            {
                if (kind is ResourceKind.ServiceControlPolicy or ResourceKind.OrganizationalUnit && !account.Management)
                {
                    continue;
                }

                // A key in the default region may be named with or without "@REGION": the same key either way.
                Func<string, string> same = kind == ResourceKind.Key ? context.Keys.Canonical : n => n;
                var declared = _document.Resources.Where(r => r.Kind == kind && r.Account == account.Name).Select(r => same(r.Name)).ToHashSet(StringComparer.Ordinal);
                var probe = new EstateResource(kind, account.Name, "*", new Dictionary<string, string>());
                var live = await CallAsync(probe, "list", () => context.Handlers[kind].ListAsync(cancellationToken));
                // OUs go children first: AWS deletes only an empty OU.
                foreach (var name in live.Where(n => !declared.Contains(same(n))).OrderByDescending(n => n.Count(c => c == '/')).ThenBy(n => n, StringComparer.Ordinal))
                {
                    var resource = probe with { Name = name };
                    // What an owner being deleted holds goes with it: inline policies with their group or role, subscriptions with their topic.
                    if (kind is ResourceKind.GroupPolicy or ResourceKind.RolePolicy or ResourceKind.Subscription
                        && !_document.Resources.Any(r => r.Account == account.Name && r.Name == resource.InlineParts.Owner && r.Kind == Owner(kind)))
                    {
                        continue;
                    }

                    if (account.Management && IsCaller(caller, kind, name))
                    {
                        notes.Add($"{resource.Address} is not in the file but runs this command, so it is kept");
                        continue;
                    }

                    deletions.Add(new ResourceChange(resource, ChangeAction.Delete, []));
                }
            }
        }

        return deletions;
    }

    private static ResourceKind Owner(ResourceKind kind) => kind switch
    {
        ResourceKind.GroupPolicy => ResourceKind.Group,
        ResourceKind.RolePolicy => ResourceKind.Role,
        _ => ResourceKind.Topic,
    };

    /// <summary>Whether a user or role is the identity behind the caller's ARN (a user, or a role's session).</summary>
    private static bool IsCaller(string callerArn, ResourceKind kind, string name)
    {
        var resource = callerArn[(callerArn.LastIndexOf(':') + 1)..];
        return kind switch
        {
            ResourceKind.User => resource.StartsWith("user/", StringComparison.Ordinal) && resource[(resource.LastIndexOf('/') + 1)..] == name,
            ResourceKind.Role => resource.StartsWith("assumed-role/", StringComparison.Ordinal) && resource.Split('/')[1] == name,
            _ => false,
        };
    }

    private static List<FieldChange> Differences(EstateResource resolved, IReadOnlyDictionary<string, string> live, HashSet<string> unknown) =>
        [.. resolved.Fields.Keys.Order(StringComparer.Ordinal)
            .Where(f => unknown.Contains(f) || live.GetValueOrDefault(f) != resolved.Fields[f])
            .Select(f => new FieldChange(f, live.GetValueOrDefault(f), unknown.Contains(f) ? null : resolved.Fields[f]))];
}
