using System.Text.Json.Nodes;
using Cloudkeep.Protocol.Http;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;

namespace Cloudkeep.Protocol.Tests.Http;

public class HeaderGrammarsTests
{
    private static readonly ServiceModel S3 = ModelCatalog.LoadEmbedded().All.Single(m => m.SigningName == "s3");

    private static JsonObject Decode(string operation, KeyValuePair<string, string> header)
    {
        var input = RestXmlProtocol.DecodeInput(S3.Operations[operation].Input, new Dictionary<string, string> { ["Bucket"] = "docs", ["Key"] = "a" }, new Dictionary<string, string>(), [header], []);
        HeaderGrammars.Apply(S3.Operations[operation].Input, input);
        return input;
    }

    [Theory]
    [InlineData("GetObject", "Range", "bytes=1-2", "Range", """{"First":1,"Last":2}""")]
    [InlineData("GetObject", "Range", "bytes=-5", "Range", """{"First":null,"Last":5}""")]
    [InlineData("UploadPartCopy", "x-amz-copy-source-range", "bytes=0-9", "CopySourceRange", """{"First":0,"Last":9}""")]
    [InlineData("GetObject", "If-Match", "\"a\", b", "IfMatch", """["\"a\"","\"b\""]""")]
    [InlineData("HeadObject", "If-None-Match", "*", "IfNoneMatch", """["*"]""")]
    [InlineData("CopyObject", "x-amz-copy-source-if-match", "", "CopySourceIfMatch", "[]")]
    [InlineData("UploadPartCopy", "x-amz-copy-source-if-none-match", "e", "CopySourceIfNoneMatch", """["\"e\""]""")]
    [InlineData("PutObject", "x-amz-tagging", "a=1&b", "Tagging", """[{"Key":"a","Value":"1"},{"Key":"b","Value":""}]""")]
    [InlineData("PutObject", "x-amz-grant-read", "id=\"1\", uri=\"http://g\"", "GrantRead", """[{"Type":"id","Value":"1"},{"Type":"uri","Value":"http://g"}]""")]
    [InlineData("PutObjectAcl", "x-amz-grant-write-acp", "id=2", "GrantWriteACP", """[{"Type":"id","Value":"2"}]""")]
    [InlineData("CopyObject", "x-amz-copy-source", "/src/k%3F?versionId=v1", "CopySource", """{"Bucket":"src","Key":"k?","VersionId":"v1","Header":"/src/k%3F?versionId=v1"}""")]
    public void Apply_HeaderWithAGrammar_BecomesItsStructure(string operation, string header, string value, string member, string expected) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Decode(operation, new(header, value))[member]), Decode(operation, new(header, value))[member]!.ToJsonString());

    [Theory]
    [InlineData("GetObject", "Range", "items=0-1", "Range")]
    [InlineData("UploadPartCopy", "x-amz-copy-source-range", "bytes=9-0", "CopySourceRange")]
    [InlineData("PutObject", "x-amz-tagging", "", "Tagging")]
    [InlineData("PutObject", "x-amz-grant-read", "nonsense", "GrantRead")]
    [InlineData("PutObject", "x-amz-grant-read", "", "GrantRead")]
    [InlineData("CopyObject", "x-amz-copy-source", "just-a-bucket", "CopySource")]
    public void Apply_ValueTheGrammarCannotRead_StaysText(string operation, string header, string value, string member) =>
        Assert.Equal(value, Decode(operation, new(header, value))[member]!.GetValue<string>());

    [Fact]
    public void Apply_HeaderWithoutAGrammar_IsUntouched() =>
        Assert.Equal("text/plain", Decode("PutObject", new("Content-Type", "text/plain"))["ContentType"]!.GetValue<string>());

    [Fact]
    public void Apply_EveryS3HeaderWithAGrammar_IsAStringInTheModel()
    {
        // The grammars replace header text: a header the model types otherwise would lose its decoding.
        var headers = S3.Operations.Values.SelectMany(o => o.Input?.Members ?? []).Where(m => m.Location == "header" && HeaderGrammars.Read(m.WireName, "bytes=0-1") is not null || m.Location == "header" && m.WireName.StartsWith("x-amz-grant-", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(headers);
        Assert.All(headers, m => Assert.Equal(ShapeType.String, m.Shape.Type));
    }
}
