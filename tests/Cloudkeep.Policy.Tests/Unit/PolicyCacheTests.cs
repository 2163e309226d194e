namespace Cloudkeep.Policy.Tests.Unit;

public class PolicyCacheTests
{
    private const string V1 = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""";
    private const string V2 = """{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}""";

    [Fact]
    public void GetOrCompile_SameIdAndVersion_ReturnsSameCompiledPolicy()
    {
        var cache = new PolicyCache();
        var first = cache.GetOrCompile("arn:aws:iam::111122223333:policy/p", "v1", V1, PolicyKind.ManagedIdentity);
        var second = cache.GetOrCompile("arn:aws:iam::111122223333:policy/p", "v1", V2, PolicyKind.ManagedIdentity);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrCompile_NewVersion_CompilesAgain()
    {
        var cache = new PolicyCache();
        var v1 = cache.GetOrCompile("p", "v1", V1, PolicyKind.ManagedIdentity).GetPolicyOrThrow();
        var v2 = cache.GetOrCompile("p", "v2", V2, PolicyKind.ManagedIdentity).GetPolicyOrThrow();
        Assert.NotSame(v1, v2);
        Assert.Equal("p", v2.Id);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void GetOrCompile_InvalidDocument_CachesTheErrors()
    {
        var cache = new PolicyCache();
        var result = cache.GetOrCompile("p", "v1", "{", PolicyKind.ManagedIdentity);
        Assert.False(result.IsValid);
        var ex = Assert.Throws<PolicyValidationException>(result.GetPolicyOrThrow);
        Assert.Equal(PolicyErrorCode.MalformedPolicyDocument, ex.Code);
        Assert.True(cache.Remove("p", "v1"));
    }
}
