using System.Collections.Concurrent;

namespace Cloudkeep.Policy;

/// <summary>
/// Compiled policies keyed by policy id and version id: a policy version is immutable in IAM, so a compiled form
/// never goes stale; a new version gets a new key.
/// </summary>
public sealed class PolicyCache
{
    private readonly ConcurrentDictionary<(string Id, string Version), PolicyParseResult> _entries = new();

    public int Count => _entries.Count;

    public PolicyParseResult GetOrCompile(string policyId, string versionId, string json, PolicyKind kind)
    {
        ArgumentNullException.ThrowIfNull(policyId);
        ArgumentNullException.ThrowIfNull(versionId);
        return _entries.GetOrAdd((policyId, versionId), static (key, state) => PolicyDocument.Parse(state.json, state.kind, key.Id),
            (json, kind));
    }

    public bool Remove(string policyId, string versionId) => _entries.TryRemove((policyId, versionId), out _);
}
