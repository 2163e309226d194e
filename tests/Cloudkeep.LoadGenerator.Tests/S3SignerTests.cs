using Cloudkeep.LoadGenerator.S3;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.LoadGenerator.Tests;

/// <summary>The S3 signer's requests are checked by the server's own parser and verifier, S3 style.</summary>
public sealed class S3SignerTests
{
    private const string Host = "127.0.0.1:4566";
    private const string Secret = "secret-0123456789";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);
    private static readonly Credentials Key = new("AKIAEXAMPLE000000001", Secret);

    [Theory]
    [InlineData("PUT", "/cloudkeep-bench", "")]
    [InlineData("PUT", "/cloudkeep-bench/small/000000001", "")]
    [InlineData("GET", "/cloudkeep-bench/a%20key%2Bwith%21odd%2Achars", "")]
    [InlineData("GET", "/cloudkeep-bench", "continuation-token=a%2Bb%3D&list-type=2&max-keys=1000&prefix=list%2F")]
    public void Sign_Request_VerifierAccepts(string method, string path, string query)
    {
        var headers = new S3Signer(Key, "us-east-1").Sign(method, Host, path, query, Now);

        var (matches, signature) = Verify(method, path, query, headers, Secret);

        Assert.True(matches);
        Assert.Equal("s3", signature.Credential.Service);
        Assert.Equal("20261122T180000Z", signature.AmzDate);
        Assert.Contains(headers, h => h.Key == "x-amz-content-sha256" && h.Value == S3Signer.UnsignedPayload);
    }

    [Fact]
    public void Sign_SessionCredentials_SignsToken()
    {
        var headers = new S3Signer(Key with { SessionToken = "FwoGZXIvYXdzEXAMPLETOKEN" }, "us-east-1").Sign("GET", Host, "/b/k", "", Now);

        var (matches, signature) = Verify("GET", "/b/k", "", headers, Secret);

        Assert.True(matches);
        Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN", signature.SecurityToken);
    }

    [Fact]
    public void Sign_WrongSecret_VerifierRejects()
    {
        var headers = new S3Signer(Key, "us-east-1").Sign("GET", Host, "/b/k", "", Now);

        Assert.False(Verify("GET", "/b/k", "", headers, "another-secret").Matches);
    }

    [Fact]
    public void Sign_OtherKeyRequested_VerifierRejects()
    {
        var headers = new S3Signer(Key, "us-east-1").Sign("GET", Host, "/b/k", "", Now);

        Assert.False(Verify("GET", "/b/other", "", headers, Secret).Matches);
    }

    [Fact]
    public void Sign_OtherMethod_VerifierRejects()
    {
        var headers = new S3Signer(Key, "us-east-1").Sign("GET", Host, "/b/k", "", Now);

        Assert.False(Verify("PUT", "/b/k", "", headers, Secret).Matches);
    }

    private static (bool Matches, SigV4Signature Signature) Verify(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, string secret)
    {
        var request = new SimpleSignableRequest(method, path, query, headers);
        var signature = SigV4Parser.ParseHeader(request, s3: true);
        var result = new SigV4Verifier(new SigningKeyCache()).Verify(request, signature, secret, S3Signer.UnsignedPayload, s3Style: true);
        return (result.Matches, signature);
    }
}
