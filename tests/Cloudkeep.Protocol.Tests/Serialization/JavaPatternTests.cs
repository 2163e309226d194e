using System.Text.RegularExpressions;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;

namespace Cloudkeep.Protocol.Tests.Serialization;

public class JavaPatternTests
{
    [Theory]
    [InlineData(@"[\w+=,.@-]+", @"[a-zA-Z0-9_+=,.@-]+")]
    [InlineData(@"\w+", @"[a-zA-Z0-9_]+")]
    [InlineData(@"[^\d]\d", @"[^0-9][0-9]")]
    [InlineData(@"[]\w]", @"[]a-zA-Z0-9_]")]
    [InlineData(@"\\w\.\p{L}", @"\\w\.\p{L}")]
    [InlineData(@"[\p{L}\p{Z}\p{N}_.:/=+\-@]*", @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*")]
    public void ToDotNet_ShorthandClasses_BecomeAsciiClasses(string java, string dotNet) => Assert.Equal(dotNet, JavaPattern.ToDotNet(java));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("a.b+c=d,e@f-g_h9", true)]
    [InlineData("zoë", false)]
    [InlineData("日本", false)]
    [InlineData("١٢٣", false)]
    public void ToDotNet_IamNamePattern_MatchesAsJavaDoes(string name, bool matches) =>
        Assert.Equal(matches, Regex.IsMatch(name, "^(?:" + JavaPattern.ToDotNet(@"[\w+=,.@-]+") + ")$", RegexOptions.CultureInvariant));

    [Fact]
    public void ToDotNet_EveryModelPattern_CompilesWheneverTheJavaTextDid()
    {
        var broken = new List<string>();
        foreach (var pattern in ModelCatalog.LoadEmbedded().All.SelectMany(m => m.Shapes.Values).Select(s => s.Pattern).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (Compiles(pattern) && !Compiles(JavaPattern.ToDotNet(pattern)))
            {
                broken.Add(pattern);
            }
        }

        Assert.Empty(broken);
    }

    private static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
