using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;

namespace Cloudkeep.Protocol.Tests.Serialization;

public class JsonProtocolTests
{
    private static readonly ServiceModel Kms = ModelCatalog.LoadEmbedded().All.Single(m => m.SigningName == "kms");

    [Fact]
    public void DecodeInput_BlobsAndMaps_BecomeTypedValues()
    {
        var body = """{"KeyId":"alias/x","Plaintext":"aGVsbG8=","EncryptionContext":{"app":"dm"}}"""u8;
        var input = JsonProtocol.DecodeInput(Kms.Operations["Encrypt"].Input, body);
        Assert.Equal("hello", Encoding.UTF8.GetString(ModelValues.ReadBlob(input["Plaintext"]!)));
        Assert.Equal("dm", input["EncryptionContext"]!["app"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"KeyId":5}""")]
    [InlineData("""{"Plaintext":"***"}""")]
    public void DecodeInput_Malformed_ThrowsSerializationException(string body)
    {
        var error = Assert.Throws<AwsException>(() => JsonProtocol.DecodeInput(Kms.Operations["Encrypt"].Input, Encoding.UTF8.GetBytes(body)));
        Assert.Equal("SerializationException", error.Code);
    }

    [Fact]
    public void DecodeInput_DeeplyNested_IsRejected()
    {
        var body = new string('[', 5000) + new string(']', 5000);
        Assert.Throws<AwsException>(() => JsonProtocol.DecodeInput(Kms.Operations["Encrypt"].Input, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void WriteOutput_TimestampsAsEpochSecondsAndBlobsAsBase64()
    {
        var json = JsonProtocol.WriteOutput(Kms.Operations["DescribeKey"].Output, new JsonObject
        {
            ["KeyMetadata"] = new JsonObject
            {
                ["KeyId"] = "k",
                ["CreationDate"] = JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)),
                ["Enabled"] = true,
            },
        });
        using var document = JsonDocument.Parse(json);
        Assert.Equal(1_700_000_000d, document.RootElement.GetProperty("KeyMetadata").GetProperty("CreationDate").GetDouble());
        Assert.True(document.RootElement.GetProperty("KeyMetadata").GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public void WriteError_HasTypeAndMessage()
    {
        using var document = JsonDocument.Parse(JsonProtocol.WriteError(CommonErrors.UnknownOperation.ToException()));
        Assert.Equal("UnknownOperationException", document.RootElement.GetProperty("__type").GetString());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("message").GetString()));
    }
}
