using System.Net;
using Cloudkeep.Server.Pipeline;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>--trusted-proxy: X-Forwarded-For decides aws:SourceIp only when the peer is a trusted proxy (console and API alike).</summary>
public sealed class ConsoleTrustedProxyTests
{
    private const string Password = "Correct-Horse-42";

    // Keys may be listed, except from the documentation range 192.0.2.0/24.
    private const string OfficeOnly = """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"iam:*","Resource":"*"},
          {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}
        """;

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.1/32")];

    [Theory]
    [InlineData("127.0.0.1", "192.0.2.7", "192.0.2.7")]
    [InlineData("127.0.0.1", "10.9.9.9, 192.0.2.7", "192.0.2.7")]
    [InlineData("127.0.0.1", "192.0.2.7, 127.0.0.1", "192.0.2.7")]
    [InlineData("127.0.0.1", "not-an-address", null)]
    [InlineData("127.0.0.1", "", null)]
    [InlineData("10.0.0.5", "192.0.2.7", null)]
    public void ClientAddress_ForwardedFor_BelievedOnlyFromATrustedPeer(string peer, string forwardedFor, string? expected)
    {
        var client = ClientAddressMiddleware.ClientAddress(IPAddress.Parse(peer), forwardedFor, Loopback);

        Assert.Equal(expected, client?.ToString());
    }

    [Fact]
    public void ClientAddress_NoTrustedProxies_IgnoresTheHeader()
    {
        Assert.Null(ClientAddressMiddleware.ClientAddress(IPAddress.Loopback, "192.0.2.7", []));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Console_ForwardedForFromTrustedProxy_IsTheSourceIpPoliciesSee(bool trustLoopback, bool denied)
    {
        await using var server = await TestServer.StartAsync(trustedProxies: trustLoopback ? Loopback : null);
        await ConsoleClient.CreateUserAsync(server, "alice", Password, inlinePolicy: OfficeOnly);
        using var browser = new ConsoleClient(server.Endpoint, forwardedFor: "192.0.2.7");
        await browser.FollowAsync(await browser.SignInAsync(server.AccountId, "alice", Password));

        var page = await browser.GetAsync("/console/security");

        Assert.Equal(denied, page.Body.Contains("AccessDenied", StringComparison.Ordinal));
        if (denied)
        {
            Assert.Contains("with an explicit deny in an identity-based policy", page.Body, StringComparison.Ordinal);
        }
    }
}
