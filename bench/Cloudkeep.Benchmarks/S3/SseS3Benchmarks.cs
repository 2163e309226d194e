using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cloudkeep.Core.Crypto;

namespace Cloudkeep.Benchmarks.S3;

/// <summary>
/// What SSE-S3 adds to moving an object's bytes: the plaintext path (MD5 while copying, what a PUT
/// did before) against encrypting (MD5 included), decrypting all of it, and decrypting a 1 MiB range
/// from the middle. Memory must stay flat whatever the object's size: a chunk buffer or two.
/// </summary>
[MemoryDiagnoser]
public class SseS3Benchmarks
{
    private const int ObjectBytes = 16 * 1024 * 1024;
    private readonly SecretBox _masterKey = new(RandomNumberGenerator.GetBytes(SecretBox.KeySize));
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(ObjectBytes);
    private readonly byte[] _copyBuffer = new byte[81920];
    private byte[] _stored = [];

    [GlobalSetup]
    public void Setup() => _stored = ChunkedAesGcm.EncryptBytes(_masterKey, "bucket/key", _plaintext);

    [Benchmark(Baseline = true)]
    public byte[] Plaintext_CopyWithMd5()
    {
#pragma warning disable CA5351 // the ETag's MD5, as the PUT path computes it
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        using var source = new MemoryStream(_plaintext, writable: false);
        int read;
        while ((read = source.Read(_copyBuffer, 0, _copyBuffer.Length)) > 0)
        {
            md5.AppendData(_copyBuffer, 0, read);
            Stream.Null.Write(_copyBuffer, 0, read);
        }

        return md5.GetHashAndReset();
    }

    [Benchmark]
    public byte[] Encrypt_WithMd5()
    {
        using var encrypting = ChunkedAesGcm.Encrypt(_masterKey, "bucket/key", new MemoryStream(_plaintext, writable: false));
        encrypting.CopyTo(Stream.Null, _copyBuffer.Length);
        return encrypting.PlaintextMd5;
    }

    [Benchmark]
    public long Decrypt_Whole() => Drain(ChunkedAesGcm.DecryptRange(_masterKey, "bucket/key", new MemoryStream(_stored, writable: false), ObjectBytes, 0, ObjectBytes));

    [Benchmark]
    public long Decrypt_OneMiBRange() => Drain(ChunkedAesGcm.DecryptRange(_masterKey, "bucket/key", new MemoryStream(_stored, writable: false), ObjectBytes, (ObjectBytes / 2) + 123, 1024 * 1024));

    private long Drain(Stream stream)
    {
        using (stream)
        {
            long total = 0;
            int read;
            while ((read = stream.Read(_copyBuffer, 0, _copyBuffer.Length)) > 0)
            {
                total += read;
            }

            return total;
        }
    }
}
