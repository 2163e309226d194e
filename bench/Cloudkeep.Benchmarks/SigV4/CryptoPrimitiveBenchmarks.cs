using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Cloudkeep.Benchmarks.SigV4;

/// <summary>What the SigV4 steps cost at the bottom: the hashes of a canonical request and a string to sign.</summary>
[MemoryDiagnoser]
public class CryptoPrimitiveBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _canonical = RandomNumberGenerator.GetBytes(700);
    private readonly byte[] _stringToSign = RandomNumberGenerator.GetBytes(150);
    private readonly byte[] _output = new byte[32];
    private IncrementalHash _hmac = null!;

    [GlobalSetup]
    public void Setup() => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    [GlobalCleanup]
    public void Cleanup() => _hmac.Dispose();

    [Benchmark]
    public int Sha256_OfCanonicalRequest() => SHA256.HashData(_canonical, _output);

    [Benchmark]
    public int HmacOneShot_OfStringToSign() => HMACSHA256.HashData(_key, _stringToSign, _output);

    [Benchmark]
    public int HmacReused_OfStringToSign()
    {
        _hmac.AppendData(_stringToSign);
        return _hmac.GetHashAndReset(_output);
    }
}
