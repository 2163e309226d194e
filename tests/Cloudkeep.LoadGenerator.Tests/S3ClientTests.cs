using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class S3ClientTests
{
    [Theory]
    [InlineData("b", null, "/b")]
    [InlineData("b", "list/0000001", "/b/list/0000001")]
    [InlineData("b", "a key+x", "/b/a%20key%2Bx")]
    public void PathOf_BucketAndKey_EncodesKeyKeepingSlashes(string bucket, string? key, string expected) =>
        Assert.Equal(expected, S3Client.PathOf(bucket, key));

    [Fact]
    public void ListQuery_FirstPage_HasNoToken() =>
        Assert.Equal("list-type=2&max-keys=1000&prefix=list%2F", S3Client.ListQuery("list/", 1000, null));

    [Fact]
    public void ListQuery_NextPage_EncodesToken() =>
        Assert.Equal("continuation-token=1%2Fab%2B%3D&list-type=2&max-keys=10&prefix=p", S3Client.ListQuery("p", 10, "1/ab+="));

    [Fact]
    public void Build_GetObject_CarriesSignatureAndPathStyleUri()
    {
        var client = new S3Client(new Uri("http://127.0.0.1:4566/"), new S3Signer(new Credentials("AKIAEXAMPLE000000001", "s"), "us-east-1"), TimeProvider.System);

        using var request = client.Build(HttpMethod.Get, "b", "k/1", "list-type=2");

        Assert.Equal("http://127.0.0.1:4566/b/k/1?list-type=2", request.RequestUri!.AbsoluteUri);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE000000001/", request.Headers.GetValues("authorization").Single(), StringComparison.Ordinal);
        Assert.False(request.Headers.Contains("host"));
    }
}
