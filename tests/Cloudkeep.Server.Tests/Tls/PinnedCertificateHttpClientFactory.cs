using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace Cloudkeep.Server.Tests.Tls;

/// <summary>
/// HttpClients for the AWS SDK that trust exactly one certificate: the server's self-signed one.
/// The host name must still match it; any other certificate, however valid, is refused.
/// </summary>
internal sealed class PinnedCertificateHttpClientFactory : HttpClientFactory
{
    private readonly byte[] _pinned;

    public PinnedCertificateHttpClientFactory(string pemFile)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));
        _pinned = certificate.RawData;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => Accepts(certificate, errors),
        };
        return new HttpClient(handler, disposeHandler: true);
    }

    internal bool Accepts(X509Certificate2? certificate, SslPolicyErrors errors) =>
        // Chain errors are expected (the certificate is its own issuer and in no system store);
        // a name mismatch or a missing certificate is not.
        (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
        && certificate is not null
        && certificate.RawData.AsSpan().SequenceEqual(_pinned);
}
