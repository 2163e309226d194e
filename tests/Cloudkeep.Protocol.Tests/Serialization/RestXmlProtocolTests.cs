using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;

namespace Cloudkeep.Protocol.Tests.Serialization;

public class RestXmlProtocolTests
{
    private static readonly ServiceModel S3 = ModelCatalog.LoadEmbedded().All.Single(m => m.SigningName == "s3");
    private static readonly Dictionary<string, string> NoQuery = [];

    [Fact]
    public void DecodeInput_PutObject_BindsLabelsHeadersAndMetadata()
    {
        var input = RestXmlProtocol.DecodeInput(
            S3.Operations["PutObject"].Input,
            new Dictionary<string, string> { ["Bucket"] = "docs", ["Key"] = "a/b.txt" },
            NoQuery,
            [new("Content-Type", "text/plain"), new("x-amz-meta-Owner", "dm"), new("x-amz-acl", "public-read")],
            []);
        Assert.Equal("docs", input["Bucket"]!.GetValue<string>());
        Assert.Equal("a/b.txt", input["Key"]!.GetValue<string>());
        Assert.Equal("text/plain", input["ContentType"]!.GetValue<string>());
        Assert.Equal("dm", input["Metadata"]!["owner"]!.GetValue<string>());
        Assert.Equal("public-read", input["ACL"]!.GetValue<string>());
    }

    [Fact]
    public void DecodeInput_DeleteObjectsXml_ReadsFlattenedList()
    {
        var xml = """<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Quiet>true</Quiet></Delete>""";
        var input = RestXmlProtocol.DecodeInput(S3.Operations["DeleteObjects"].Input, new Dictionary<string, string> { ["Bucket"] = "b" }, NoQuery, [], Encoding.UTF8.GetBytes(xml));
        var delete = input["Delete"]!;
        Assert.Equal(["a", "b"], delete["Objects"]!.AsArray().Select(o => o!["Key"]!.GetValue<string>()));
        Assert.True(delete["Quiet"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("<Delete><Object><Key>a</Key></Object>")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Delete><Object><Key>&x;</Key></Object></Delete>""")]
    [InlineData("<NotDelete/>")]
    public void DecodeInput_MalformedOrDtdXml_ThrowsMalformedXml(string xml)
    {
        var error = Assert.Throws<AwsException>(() => RestXmlProtocol.DecodeInput(S3.Operations["DeleteObjects"].Input, new Dictionary<string, string> { ["Bucket"] = "b" }, NoQuery, [], Encoding.UTF8.GetBytes(xml)));
        Assert.Equal("MalformedXML", error.Code);
    }

    [Fact]
    public void WriteXmlBody_ListBuckets_UsesOutputRootAndNamespace()
    {
        var xml = RestXmlProtocol.WriteXmlBody(S3, S3.Operations["ListBuckets"], new JsonObject
        {
            ["Buckets"] = new JsonArray(new JsonObject { ["Name"] = "docs", ["CreationDate"] = JsonValue.Create(DateTimeOffset.UnixEpoch) }),
            ["Owner"] = new JsonObject { ["ID"] = "abc" },
        })!;
        var text = Encoding.UTF8.GetString(xml);
        Assert.Contains("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">", text, StringComparison.Ordinal);
        Assert.Contains("<Buckets><Bucket><Name>docs</Name><CreationDate>1970-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputHeaders_GetObject_WritesHeadersAndMetadata()
    {
        var headers = RestXmlProtocol.OutputHeaders(S3.Operations["GetObject"].Output, new JsonObject
        {
            ["ETag"] = "\"abc\"",
            ["ContentLength"] = 5L,
            ["LastModified"] = JsonValue.Create(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero)),
            ["Metadata"] = new JsonObject { ["owner"] = "dm" },
        }).ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("\"abc\"", headers["ETag"]);
        Assert.Equal("5", headers["Content-Length"]);
        Assert.Equal("Sun, 22 Nov 2026 00:00:00 GMT", headers["Last-Modified"]);
        Assert.Equal("dm", headers["x-amz-meta-owner"]);
    }

    [Fact]
    public void WriteError_S3Shape_HasCodeMessageRequestIdHostId()
    {
        var text = Encoding.UTF8.GetString(RestXmlProtocol.WriteError(S3AuthErrors.InvalidAccessKeyId.ToException(), "rid", "hid"));
        Assert.Contains("<Error><Code>InvalidAccessKeyId</Code><Message>", text, StringComparison.Ordinal);
        Assert.Contains("<RequestId>rid</RequestId><HostId>hid</HostId></Error>", text, StringComparison.Ordinal);
    }
}
