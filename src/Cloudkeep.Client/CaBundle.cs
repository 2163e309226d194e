using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// AWS_CA_BUNDLE (or a profile's ca_bundle), as the AWS CLI reads it: a PEM file of the certificates
/// to trust instead of the system's, so the client commands reach a Cloudkeep serving its
/// self-signed certificate (`serve --tls`). The host name must still match the certificate.
/// </summary>
public sealed class CaBundle
{
    private readonly X509Certificate2Collection _roots = [];

    private CaBundle(string path)
    {
        try
        {
            _roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"the CA bundle {path} cannot be read: {e.Message}", e);
        }

        if (_roots.Count == 0)
        {
            throw new InvalidOperationException($"the CA bundle {path} holds no PEM certificate");
        }
    }

    /// <summary>The bundle at <paramref name="path"/>, or null when none is configured (the system's trust applies).</summary>
    public static CaBundle? From(string? path) => string.IsNullOrEmpty(path) ? null : new CaBundle(path);

    /// <summary>A handler that trusts only the bundle's certificates.</summary>
    public HttpMessageHandler Handler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(certificate as X509Certificate2, errors) },
    };

    /// <summary>For the AWS SDK's clients: HttpClients that trust only the bundle's certificates.</summary>
    public HttpClientFactory SdkFactory() => new Factory(this);

    /// <summary>Makes an SDK client trust the bundle at <paramref name="path"/>; without one the config is left as it is.</summary>
    public static void Apply(ClientConfig config, string? path)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (From(path) is { } bundle)
        {
            config.HttpClientFactory = bundle.SdkFactory();
        }
    }

    private bool Trusts(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        // The chain is judged below against the bundle alone; a wrong host name or no certificate is never accepted.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private sealed class Factory(CaBundle bundle) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(bundle.Handler(), disposeHandler: true);
    }
}
