using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.S3;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>SSE-C's key handling without a server: what is kept of a key, which key opens it, and when plain HTTP is refused.</summary>
public sealed class S3EncryptionCustomerKeyUnitTests
{
    private static JsonObject Headers(byte[] key) => new()
    {
        ["SSECustomerAlgorithm"] = "AES256",
        ["SSECustomerKey"] = Convert.ToBase64String(key),
        ["SSECustomerKeyMD5"] = Convert.ToBase64String(MD5.HashData(key)),
    };

    private static OperationRequest Request(string sourceIp, bool https) => new()
    {
        Service = "s3",
        Operation = "PutObject",
        Input = [],
        Caller = Caller.RootOf("111122223333", "AKIAEXAMPLE"),
        Region = "eu-west-1",
        RequestId = "r",
        SourceIp = sourceIp,
        SecureTransport = https,
    };

    [Fact]
    public void Seal_KeepsNeitherTheKeyNorItsMd5_AndOnlyThatKeyOpensIt()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var customer = CustomerKey.From(Headers(key), copySource: false)!;
        var (stored, wrapping) = customer.Seal();
        var text = stored.ToJsonString();
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(customer.KeyMd5, text, StringComparison.Ordinal);

        var sealedValue = wrapping.Seal([1, 2, 3], "purpose");
        Assert.Equal([1, 2, 3], customer.Open(stored)!.Open(sealedValue, "purpose"));
        Assert.Null(CustomerKey.From(Headers(RandomNumberGenerator.GetBytes(32)), copySource: false)!.Open(stored));
    }

    [Fact]
    public void Seal_SameKeyTwice_IsNotLinkable()
    {
        var customer = CustomerKey.From(Headers(RandomNumberGenerator.GetBytes(32)), copySource: false)!;
        var (first, _) = customer.Seal();
        var (second, _) = customer.Seal();
        Assert.NotEqual(first["Salt"]!.GetValue<string>(), second["Salt"]!.GetValue<string>());
        Assert.NotEqual(first["Check"]!.GetValue<string>(), second["Check"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("127.0.0.1", false, true)]
    [InlineData("::1", false, true)]
    [InlineData("10.1.2.3", false, false)]
    [InlineData("", false, false)]
    [InlineData("10.1.2.3", true, true)]
    public void RequireSecureTransport_PlainHttp_IsRefusedUnlessFromLoopback(string sourceIp, bool https, bool allowed)
    {
        var request = Request(sourceIp, https);
        if (allowed)
        {
            CustomerKey.RequireSecureTransport(request);
            return;
        }

        var refused = Assert.Throws<AwsException>(() => CustomerKey.RequireSecureTransport(request));
        Assert.Equal("InvalidRequest", refused.Code);
        Assert.Equal(400, refused.HttpStatus);
    }
}
