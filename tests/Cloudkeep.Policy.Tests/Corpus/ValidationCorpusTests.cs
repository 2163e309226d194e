using System.Text.Json.Nodes;

namespace Cloudkeep.Policy.Tests.Corpus;

public class ValidationCorpusTests
{
    public static IEnumerable<object[]> ValidationCases() => CorpusLoader.Names("validation");

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void Corpus_Document_ValidatedAsAwsDoes(string name)
    {
        var c = CorpusLoader.Get(name);
        Assert.StartsWith("https://docs.aws.amazon.com/", (string)c["source"]!, StringComparison.Ordinal);
        var kind = Enum.Parse<PolicyKind>((string?)c["kind"] ?? "ManagedIdentity");
        var json = Document(c);

        var result = PolicyDocument.Parse(json, kind, "p");

        if ((bool)c["valid"]!)
        {
            Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
            return;
        }

        Assert.False(result.IsValid);
        Assert.Null(result.Policy);
        Assert.Contains(result.Errors, e => e.Code == Enum.Parse<PolicyErrorCode>((string)c["code"]!)
            && (c["message"] is null || e.Message == (string)c["message"]!));
        if (c["errorCount"] is JsonNode count)
        {
            Assert.Equal((int)count, result.Errors.Count);
        }
    }

    private static string Document(JsonObject c)
    {
        if (c["size"] is JsonNode size)
        {
            // A document of exactly `size` non-white-space characters (and bytes).
            var target = (int)size;
            var skeleton = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::\"}}";
            var padding = new string('a', target - skeleton.Length);
            return skeleton.Replace("arn:aws:s3:::", "arn:aws:s3:::" + padding, StringComparison.Ordinal);
        }

        var doc = c["document"]!;
        return doc is JsonValue v && v.TryGetValue<string>(out var text) ? text : CorpusLoader.PolicyJson(doc);
    }
}
