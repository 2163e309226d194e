using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Derives and caches SigV4 signing keys. A key is valid for one secret, day, region and service,
/// so the four HMACs of the derivation run once a day per client instead of on every request.
/// </summary>
public sealed class SigningKeyCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), SigningKey> _keys = new();

    public SigningKey Get(string secretAccessKey, string date, string region, string service)
    {
        var cacheKey = (secretAccessKey, date, region, service);
        if (_keys.TryGetValue(cacheKey, out var key))
        {
            return key;
        }

        key = new SigningKey(Derive(secretAccessKey, date, region, service));
        if (_keys.Count >= MaxEntries)
        {
            // Dates roll over daily; a simple clear keeps memory bounded without an LRU's bookkeeping.
            _keys.Clear();
        }

        _keys[cacheKey] = key;
        return key;
    }

    public static byte[] Derive(string secretAccessKey, string date, string region, string service)
    {
        var kSecret = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        var kDate = HMACSHA256.HashData(kSecret, Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes(SigV4Constants.Terminator));
    }
}
