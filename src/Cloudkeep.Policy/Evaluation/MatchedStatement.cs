namespace Cloudkeep.Policy;

/// <summary>A statement that applied to the request: the policy it belongs to, its Sid and its index.</summary>
public readonly record struct MatchedStatement(PolicyType PolicyType, string PolicyId, string? Sid, int Index, PolicyEffect Effect);
