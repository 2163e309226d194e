using Cloudkeep.Protocol.Http;

namespace Cloudkeep.Protocol.Tests.Http;

public class GrantHeaderTests
{
    [Theory]
    [InlineData("id=\"abc\"", "id", "abc")]
    [InlineData("id=abc", "id", "abc")]
    [InlineData("  ID = \"abc\" ", "id", "abc")]
    [InlineData("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"", "uri", "http://acs.amazonaws.com/groups/global/AllUsers")]
    [InlineData("emailAddress=\"a@example.com\"", "emailaddress", "a@example.com")]
    [InlineData("id=a=b", "id", "a=b")]
    [InlineData("id=", "id", "")]
    public void TryParse_OneGrantee_ReadsTypeAndValue(string header, string type, string value)
    {
        Assert.True(GrantHeader.TryParse(header, out var grantees));
        Assert.Equal([new(type, value)], grantees);
    }

    [Fact]
    public void TryParse_SeveralGrantees_KeepsTheirOrder()
    {
        Assert.True(GrantHeader.TryParse("id=\"1\", uri=\"http://g\",id=2", out var grantees));
        Assert.Equal([new("id", "1"), new("uri", "http://g"), new("id", "2")], grantees);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("id=\"1\", abc")]
    [InlineData("id=\"1\",")]
    [InlineData("")]
    public void TryParse_EntryWithoutEquals_IsFalse(string header) => Assert.False(GrantHeader.TryParse(header, out _));
}
