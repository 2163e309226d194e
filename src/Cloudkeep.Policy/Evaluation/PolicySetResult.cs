namespace Cloudkeep.Policy;

/// <summary>What a set of policies said about a request: any Allow, any Deny, and the strongest principal match of the Allows.</summary>
internal struct PolicySetResult
{
    public bool Allow;
    public bool Deny;
    public PrincipalMatch BestAllow;

    public void Add(PolicyEffect effect, PrincipalMatch match)
    {
        if (effect == PolicyEffect.Deny)
        {
            Deny = true;
            return;
        }

        Allow = true;
        if (match > BestAllow)
        {
            BestAllow = match;
        }
    }
}
