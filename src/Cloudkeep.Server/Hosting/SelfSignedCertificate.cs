using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloudkeep.Server.Hosting;

/// <summary>
/// The certificate a TLS server makes for itself when it is given none: ECDSA P-256, a leaf for
/// server authentication only, naming the loopback names and addresses, S3's virtual-hosted names
/// on localhost, and the listen address.
/// </summary>
internal static class SelfSignedCertificate
{
    /// <summary>
    /// 825 days: the longest validity Apple's TLS clients accept for any server certificate, so
    /// the file works everywhere; the server makes a new one when fewer than <see cref="RenewBefore"/> remain.
    /// </summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(825);

    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public static X509Certificate2 Create(IPEndPoint listen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(listen);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=Cloudkeep, O=Cloudkeep self-signed"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        var subjectKey = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(subjectKey);
        // Python's strict X.509 checking (the default from 3.13) wants the authority key id too.
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKey));
        request.CertificateExtensions.Add(Names(listen).Build(critical: false));
        // Backdated a little so a client whose clock is slightly behind still accepts it.
        return request.CreateSelfSigned(now.AddHours(-1), now.Add(Validity));
    }

    /// <summary>
    /// S3 virtual-hosted style puts the bucket before ".s3." (ServiceResolutionMiddleware), so
    /// https://BUCKET.s3.localhost:PORT needs "*.s3.localhost". A bare "*.localhost" would not help:
    /// OpenSSL refuses wildcards directly under a single-label name.
    /// </summary>
    internal static SubjectAlternativeNameBuilder Names(IPEndPoint listen)
    {
        var names = new SubjectAlternativeNameBuilder();
        var dnsNames = new List<string> { "localhost", "s3.localhost", "*.s3.localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any))
        {
            // Listening everywhere: other machines reach it by this machine's name.
            var host = System.Net.Dns.GetHostName().ToLowerInvariant();
            if (host.Length > 0 && host != "localhost" && Uri.CheckHostName(host) == UriHostNameType.Dns)
            {
                dnsNames.AddRange([host, "s3." + host, "*.s3." + host]);
            }
        }
        else if (!addresses.Contains(listen.Address))
        {
            addresses.Add(listen.Address);
        }

        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        return names;
    }
}
