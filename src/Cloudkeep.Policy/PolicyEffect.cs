namespace Cloudkeep.Policy;

/// <summary>The effect a policy statement declares.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}
