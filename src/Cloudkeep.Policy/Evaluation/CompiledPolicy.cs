namespace Cloudkeep.Policy;

/// <summary>
/// A validated, compiled policy document. Immutable; build once (see <see cref="PolicyCache"/>) and share.
/// </summary>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(string id, PolicyKind kind, string version, string source, CompiledStatement[] statements)
    {
        Id = id;
        Kind = kind;
        Version = version;
        Source = source;
        Statements = statements;
        (_byService, _anyService) = IndexByService(statements);
        _lookup = _byService.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The caller's identifier for the policy (an ARN or name); it appears in decision traces.</summary>
    public string Id { get; }

    public PolicyKind Kind { get; }

    /// <summary>The document's Version element ("2012-10-17", or "2008-10-17" when absent).</summary>
    public string Version { get; }

    /// <summary>The JSON text the policy was compiled from.</summary>
    public string Source { get; }

    public int StatementCount => Statements.Length;

    internal CompiledStatement[] Statements { get; }

    private readonly Dictionary<string, int[]> _byService;
    private readonly int[] _anyService;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>
    /// Indices (in document order) of the statements that can match an action of this service: most statements name
    /// one service, so a decision skips the rest of a policy with one lookup.
    /// </summary>
    internal int[] CandidatesFor(string action)
    {
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && _lookup.TryGetValue(action.AsSpan(0, colon), out var candidates) ? candidates : _anyService;
    }

    private static (Dictionary<string, int[]> ByService, int[] Any) IndexByService(CompiledStatement[] statements)
    {
        var services = new List<HashSet<string>?>(statements.Length);
        var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var statement in statements)
        {
            HashSet<string>? set = null;
            if (!statement.NotAction)
            {
                set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var action in statement.Actions)
                {
                    if (action.Service is not { } service)
                    {
                        set = null;
                        break;
                    }

                    set.Add(service);
                }
            }

            services.Add(set);
            if (set is not null)
            {
                all.UnionWith(set);
            }
        }

        var byService = new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in all)
        {
            byService[service] = [.. Enumerable.Range(0, statements.Length).Where(i => services[i] is null || services[i]!.Contains(service))];
        }

        return (byService, [.. Enumerable.Range(0, statements.Length).Where(i => services[i] is null)]);
    }
}
