namespace Cloudkeep.LoadGenerator.Tests;

/// <summary>The STS load generator's options: --tls turns HTTPS on, and is off unless asked for.</summary>
public sealed class StsOptionsTests
{
    private static readonly string Dll = typeof(StsOptionsTests).Assembly.Location;

    [Fact]
    public void Parse_Tls_TurnsHttpsOn()
    {
        Assert.True(Options.Parse(["--server", Dll, "--tls"]).Tls);
        Assert.False(Options.Parse(["--server", Dll]).Tls);
    }

    [Fact]
    public void PinnedHandler_NoCertificateFile_TrustsNoServer()
    {
        using var handler = ServerProcess.PinnedHandler(null);

        var accepts = handler.SslOptions.RemoteCertificateValidationCallback!(this, null, null, System.Net.Security.SslPolicyErrors.None);

        Assert.False(accepts);
    }
}
