using Cloudkeep.Protocol.Http;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.Http;

public class TaggingHeaderTests
{
    [Theory]
    [InlineData("a=1", "a", "1")]
    [InlineData("a=", "a", "")]
    [InlineData("a", "a", "")]
    [InlineData("team+name=data+eng", "team name", "data eng")]
    [InlineData("k%2Fx=v%3D1", "k/x", "v=1")]
    [InlineData("%E2%82%AC=%20", "€", " ")]
    [InlineData("a=b=c", "a", "b=c")]
    [InlineData("=v", "", "v")]
    public void Parse_OnePair_DecodesKeyAndValue(string header, string key, string value) =>
        Assert.Equal([new(key, value)], TaggingHeader.Parse(header));

    [Fact]
    public void Parse_SeveralPairs_KeepsTheirOrder() =>
        Assert.Equal([new("b", "2"), new("a", "1"), new("b", "3")], TaggingHeader.Parse("b=2&a=1&b=3"));

    [Fact]
    public void Parse_MalformedEscape_KeepsTheText() =>
        Assert.Equal([new("a%zz", "%")], TaggingHeader.Parse("a%zz=%"));

    [Fact]
    public void Parse_AnyTagsItFormats_ReadsThemBack()
    {
        var text = Gen.String[0, 20];
        Gen.Select(text, text).Select((k, v) => new KeyValuePair<string, string>(k, v)).List[1, 10].Sample(tags =>
        {
            // A lone surrogate cannot be percent-encoded as UTF-8, so it is no tag a client can send.
            if (tags.Any(t => HasLoneSurrogate(t.Key) || HasLoneSurrogate(t.Value)))
            {
                return;
            }

            Assert.Equal(tags, TaggingHeader.Parse(TaggingHeader.Format(tags)));
        });
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
