using Cloudkeep.Protocol.Http;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.Http;

public class EntityTagListTests
{
    [Theory]
    [InlineData("\"abc\"", new[] { "\"abc\"" })]
    [InlineData("abc", new[] { "\"abc\"" })]
    [InlineData("*", new[] { "*" })]
    [InlineData(" \"a\" ,b,  * ", new[] { "\"a\"", "\"b\"", "*" })]
    [InlineData("W/\"weak\"", new[] { "\"W/\"weak\"\"" })]
    [InlineData("\"a-2\"", new[] { "\"a-2\"" })]
    [InlineData("", new string[0])]
    [InlineData(" , ,", new string[0])]
    public void Parse_List_QuotesEachTagOnce(string header, string[] tags) => Assert.Equal(tags, EntityTagList.Parse(header));

    [Fact]
    public void Parse_AnyQuotedTags_ReadsThemBackUnchanged()
    {
        Gen.Char.AlphaNumeric.Array[1, 34].Select(c => "\"" + new string(c) + "\"").List[1, 5].Sample(tags =>
            Assert.Equal(tags, EntityTagList.Parse(string.Join(", ", tags))));
    }
}
