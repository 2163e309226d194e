using System.Buffers.Binary;
using System.Text;

namespace Cloudkeep.Services.Kms;

/// <summary>
/// The encryption context as authenticated data: pairs sorted by key (ordinal), each key and value
/// length-prefixed, so no two different contexts share an encoding and key order never matters
/// (AWS: "the order of the key-value pairs in the encryption context does not matter").
/// </summary>
public static class KmsEncryptionContext
{
    public static byte[] Canonical(IReadOnlyDictionary<string, string>? context)
    {
        if (context is null || context.Count == 0)
        {
            return [];
        }

        var pairs = context.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, pairs.Length);
        buffer.Write(length);
        foreach (var (key, value) in pairs)
        {
            foreach (var text in (ReadOnlySpan<string>)[key, value])
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                buffer.Write(length);
                buffer.Write(bytes);
            }
        }

        return buffer.ToArray();
    }
}
