namespace Cloudkeep.Policy.Tests.Unit;

public class RequestContextTests
{
    [Theory]
    [InlineData("aws:SourceIp", "AWS:SOURCEIP")]
    [InlineData("aws:PrincipalTag/Team", "aws:principaltag/team")]
    public void Get_KeyInOtherCase_FindsValue(string setKey, string getKey)
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html#Condition-case-sensitivity
        var context = new RequestContextBuilder().Set(setKey, "v").Build();
        Assert.Equal(["v"], context.Get(getKey));
    }

    [Fact]
    public void Builder_MultivaluedKey_KeepsEveryValue()
    {
        var context = new RequestContextBuilder().Set("aws:TagKeys", ["a", "b"]).SetIfPresent("aws:Referer", null).Build();
        Assert.Equal(["a", "b"], context.Get("aws:tagkeys"));
        Assert.Null(context.Get("aws:Referer"));
        Assert.Equal(1, context.Count);
    }

    [Fact]
    public void Builder_UsedAfterBuild_Throws()
    {
        var builder = new RequestContextBuilder();
        builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Set("aws:username", "x"));
    }

    [Fact]
    public void With_ReturnsCopy_LeavesOriginalUnchanged()
    {
        var original = RequestContext.Empty.With("aws:username", "alice");
        var changed = original.With("aws:username", "bob");
        Assert.Equal(["alice"], original.Get("aws:username"));
        Assert.Equal(["bob"], changed.Get("aws:username"));
    }
}
