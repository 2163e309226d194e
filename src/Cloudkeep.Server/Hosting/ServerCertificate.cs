using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloudkeep.Server.Hosting;

/// <summary>What a TLS listener presents, and the PEM file clients point AWS_CA_BUNDLE at.</summary>
public sealed class ServerCertificate : IDisposable
{
    internal ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, string certificateFile, bool selfSigned)
    {
        Certificate = certificate;
        Chain = chain;
        CertificateFile = certificateFile;
        SelfSigned = selfSigned;
    }

    /// <summary>The leaf, with its private key (in memory only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediates sent after the leaf (from --tls-cert; empty when self-signed).</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>&lt;data&gt;/tls/cert.pem when self-signed, else the --tls-cert file.</summary>
    public string CertificateFile { get; }

    public bool SelfSigned { get; }

    /// <summary>SHA-256 of the leaf's DER, as `openssl x509 -fingerprint -sha256` prints it (without colons).</summary>
    public string Sha256Fingerprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
