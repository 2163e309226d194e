using Cloudkeep.Protocol.Http;

namespace Cloudkeep.Protocol.Tests.Http;

public class CorsResponseHeadersTests
{
    private const string Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private static readonly CorsResponseHeaders.Rule Named = new(["https://app.example.org"], ["GET", "PUT"], ["ETag", "x-amz-request-id"], "3000");

    private static readonly CorsResponseHeaders.Rule Anyone = new(["*"], ["GET"], [], null);

    [Fact]
    public void For_NamedOriginPreflight_AllowsCredentialsMethodsHeadersAndMaxAge() =>
        Assert.Equal(
            [
                new("Access-Control-Allow-Origin", "https://app.example.org"), new("Vary", Vary), new("Access-Control-Allow-Credentials", "true"),
                new("Access-Control-Allow-Methods", "GET, PUT"), new("Access-Control-Allow-Headers", "content-type, x-amz-date"), new("Access-Control-Max-Age", "3000"),
            ],
            CorsResponseHeaders.For(Named, "https://app.example.org", ["content-type", "x-amz-date"], preflight: true));

    [Fact]
    public void For_WildcardPreflightWithoutHeaders_AnswersStarWithoutCredentials() =>
        Assert.Equal(
            [new("Access-Control-Allow-Origin", "*"), new("Vary", Vary), new("Access-Control-Allow-Methods", "GET")],
            CorsResponseHeaders.For(Anyone, "https://elsewhere.example", [], preflight: true));

    [Fact]
    public void For_ActualRequest_ExposesHeadersInsteadOfMethods() =>
        Assert.Equal(
            [
                new("Access-Control-Allow-Origin", "https://app.example.org"), new("Vary", Vary), new("Access-Control-Allow-Credentials", "true"),
                new("Access-Control-Expose-Headers", "ETag, x-amz-request-id"),
            ],
            CorsResponseHeaders.For(Named, "https://app.example.org", ["ignored"], preflight: false));

    [Fact]
    public void For_ActualRequestNothingToExpose_OnlyOriginAndVary() =>
        Assert.Equal([new("Access-Control-Allow-Origin", "*"), new("Vary", Vary)], CorsResponseHeaders.For(Anyone, "https://x.example", [], preflight: false));
}
