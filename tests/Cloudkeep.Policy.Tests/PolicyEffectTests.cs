namespace Cloudkeep.Policy.Tests;

public class PolicyEffectTests
{
    [Fact]
    public void PolicyEffect_Values_AreAllowAndDeny()
    {
        Assert.Equal(new[] { "Allow", "Deny" }, Enum.GetNames<PolicyEffect>());
    }
}
