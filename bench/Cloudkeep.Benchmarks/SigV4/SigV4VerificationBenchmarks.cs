using BenchmarkDotNet.Attributes;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Benchmarks.SigV4;

/// <summary>
/// The per-request cost of SigV4 on the server: parse the Authorization header, rebuild the
/// canonical request, HMAC the string to sign with a cached signing key and compare in constant
/// time. The request is what the AWS CLI sends for an IAM call (seven signed headers, a query).
/// Budget (ARCHITECTURE.md): under 5 µs with a cached signing key.
/// </summary>
[MemoryDiagnoser]
public class SigV4VerificationBenchmarks
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private SimpleSignableRequest _request = null!;
    private SigV4Signature _signature = null!;
    private SigV4Verifier _verifier = null!;
    private string _payloadHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", "iam.amazonaws.com"),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            new("User-Agent", "aws-cli/1.45.11 Python/3.11.7 Linux/6.18 botocore/1.43.11"),
            new("X-Amz-Date", "20261122T120000Z"),
            new("Content-Length", "43"),
            new("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLETOKEN"),
            new("X-Amz-Content-Sha256", "b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2"),
        };
        var unsigned = new SimpleSignableRequest("POST", "/", "Action=ListUsers&Version=2010-05-08", headers);
        _payloadHash = "b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2";
        string[] signedHeaders = ["content-length", "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token", "user-agent"];
        Array.Sort(signedHeaders, StringComparer.Ordinal);
        var canonical = CanonicalRequest.Build(unsigned, signedHeaders, _payloadHash, s3Style: false, excludeSignatureParameter: false);
        var stringToSign = SigV4Verifier.BuildStringToSign("20261122T120000Z", "20261122/us-east-1/iam/aws4_request", canonical);
        var signature = SigV4Verifier.ComputeSignature(SigningKeyCache.Derive(Secret, "20261122", "us-east-1", "iam"), stringToSign);
        headers.Add(new("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/iam/aws4_request, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}"));
        _request = new SimpleSignableRequest("POST", "/", "Action=ListUsers&Version=2010-05-08", headers);
        _signature = SigV4Parser.ParseHeader(_request, s3: false);
        _verifier = new SigV4Verifier(new SigningKeyCache());
        if (!Verify_CachedKey())
        {
            throw new InvalidOperationException("The benchmark request does not verify.");
        }
    }

    [Benchmark(Baseline = true, Description = "parse + verify, cached signing key")]
    public bool ParseAndVerify_CachedKey()
    {
        var signature = SigV4Parser.ParseHeader(_request, s3: false);
        return _verifier.Verify(_request, signature, Secret, _payloadHash, s3Style: false).Matches;
    }

    [Benchmark(Description = "verify only, cached signing key")]
    public bool Verify_CachedKey() => _verifier.Verify(_request, _signature, Secret, _payloadHash, s3Style: false).Matches;

    [Benchmark(Description = "verify, signing key derived every time")]
    public bool Verify_FreshKey() => new SigV4Verifier(new SigningKeyCache()).Verify(_request, _signature, Secret, _payloadHash, s3Style: false).Matches;
}
