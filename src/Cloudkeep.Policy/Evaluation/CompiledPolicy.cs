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
}
