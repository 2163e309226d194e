using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.LoadGenerator.Tests;

/// <summary>The load generator's signatures are checked by the server's own parser and verifier.</summary>
public sealed class QuerySignerTests
{
    private const string Body = "Action=GetCallerIdentity&Version=2011-06-15";
    private const string Host = "127.0.0.1:4566";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null)]
    [InlineData("FwoGZXIvYXdzEXAMPLETOKEN")]
    public void Sign_ValidCredentials_VerifierAccepts(string? token)
    {
        var credentials = new Credentials("AKIAEXAMPLE000000001", "secret-0123456789", token);

        var (matches, signature) = Verify(new QuerySigner(credentials, "us-east-1", "sts").Sign(Host, Body, Now), credentials.SecretAccessKey, Body);

        Assert.True(matches);
        Assert.Equal("20261122T180000Z", signature.AmzDate);
        Assert.Equal("sts", signature.Credential.Service);
        Assert.Equal(token, signature.SecurityToken);
    }

    [Fact]
    public void Sign_WrongSecret_VerifierRejects()
    {
        var headers = new QuerySigner(new Credentials("AKIAEXAMPLE000000001", "secret-0123456789"), "us-east-1", "sts").Sign(Host, Body, Now);

        Assert.False(Verify(headers, "another-secret", Body).Matches);
    }

    [Fact]
    public void Sign_BodyChangedAfterSigning_VerifierRejects()
    {
        var headers = new QuerySigner(new Credentials("AKIAEXAMPLE000000001", "secret-0123456789"), "us-east-1", "sts").Sign(Host, Body, Now);

        Assert.False(Verify(headers, "secret-0123456789", Body + "&RoleSessionName=x").Matches);
    }

    [Fact]
    public void Sign_LaterTime_ChangesDateAndSignature()
    {
        var signer = new QuerySigner(new Credentials("AKIAEXAMPLE000000001", "secret-0123456789"), "us-east-1", "sts");

        var first = signer.Sign(Host, Body, Now).Single(h => h.Key == "authorization").Value;
        var second = signer.Sign(Host, Body, Now.AddSeconds(1)).Single(h => h.Key == "authorization").Value;

        Assert.NotEqual(first, second);
    }

    private static (bool Matches, SigV4Signature Signature) Verify(IReadOnlyList<KeyValuePair<string, string>> headers, string secret, string body)
    {
        var request = new SimpleSignableRequest("POST", "/", "", headers);
        var signature = SigV4Parser.ParseHeader(request, s3: false);
        var result = new SigV4Verifier(new SigningKeyCache()).Verify(request, signature, secret, SigV4Verifier.HexSha256(body), s3Style: false);
        return (result.Matches, signature);
    }
}
