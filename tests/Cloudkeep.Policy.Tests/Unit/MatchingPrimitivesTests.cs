namespace Cloudkeep.Policy.Tests.Unit;

public class MatchingPrimitivesTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("a*", "abc", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("**", "x", true)]
    public void WildcardIsMatch_Pattern_MatchesAsGlob(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, Wildcard.IsMatch(Wildcard.FromPolicyText(pattern), input, ignoreCase: false));
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/*", "arn:aws:s3:::b/a:b/c", true)]
    [InlineData("arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true)]
    [InlineData("arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:us-east-1:999999999999:instance/i-1", false)]
    [InlineData("arn:aws:ec2:us-*", "arn:aws:ec2:us-east-1:1:instance/i-1", true)]
    [InlineData("arn:aws:*:us-east-1:1:x", "arn:aws:s3:x:us-east-1:1:x", false)]
    [InlineData("*", "anything", true)]
    public void WildcardIsArnMatch_SegmentConfined_AsAwsDocuments(string pattern, string input, bool expected)
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
        Assert.Equal(expected, Wildcard.IsArnMatch(Wildcard.FromPolicyText(pattern), input));
    }

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.112.255", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("203.0.113.9", "203.0.113.9", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("::/0", "203.0.113.1", false)]
    public void IpNetwork_Contains_ByPrefix(string cidr, string address, bool expected)
    {
        Assert.True(IpNetwork.TryParse(cidr, out var network));
        Assert.True(IpNetwork.TryParseAddress(address, out var value, out var isV6));
        Assert.Equal(expected, network.Contains(value, isV6));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("")]
    [InlineData("1.2.3.4/33")]
    [InlineData("not-an-ip")]
    public void IpNetwork_InvalidText_Rejected(string text)
    {
        Assert.False(IpNetwork.TryParse(text, out _) && IpNetwork.TryParseAddress(text, out _, out _));
    }

    [Theory]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000Z")]
    [InlineData("1577836800", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01", "2020-01-01T00:00:00Z")]
    [InlineData("2020-01-01T00:00:00.5Z", "2020-01-01T00:00:00.500Z")]
    public void ConditionValuesTryParseDate_EquivalentForms_SameInstant(string a, string b)
    {
        Assert.True(ConditionValues.TryParseDate(a, out var ta));
        Assert.True(ConditionValues.TryParseDate(b, out var tb));
        Assert.Equal(ta, tb);
    }

    [Theory]
    [InlineData("arn:aws:s3:::b/${aws:username}/*", "alice", "arn:aws:s3:::b/alice/\uE000")]
    [InlineData("${aws:username, 'it''s'}", null, "it's")]
    [InlineData("${*}${?}${$}", null, "*?$")]
    [InlineData("a${ aws:username }b", "x*", "ax*b")]
    public void ValueTemplateRender_Variables_SubstitutedLiterally(string raw, string? username, string expected)
    {
        var template = ValueTemplate.Compile(raw, substituteVariables: true, wildcards: true);
        var context = username is null ? RequestContext.Empty : RequestContext.Empty.With("aws:username", username);
        var rendered = template.HasVariables ? template.RenderToString(context) : template.StaticText;
        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void ValueTemplateRender_MissingKeyWithoutDefault_ReportsMissing()
    {
        var template = ValueTemplate.Compile("${aws:username}", substituteVariables: true, wildcards: false);
        Span<char> buffer = stackalloc char[16];
        Assert.Equal(-1, template.Render(RequestContext.Empty, buffer));
        Assert.Null(template.RenderToString(RequestContext.Empty));
    }
}
