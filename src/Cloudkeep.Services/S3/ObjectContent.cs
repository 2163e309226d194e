using Cloudkeep.Core.Crypto;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Opens a range of an object's bytes, wherever they are kept: inline in its row, or in its blobs.</summary>
internal static class ObjectContent
{
    /// <summary>
    /// Opens the range; <paramref name="meta"/> is the record's metadata, which the caller has already
    /// parsed, and <paramref name="wrappingKey"/> what <see cref="ObjectEncryption.ForReadAsync"/>
    /// gave for it (null for bytes stored in the clear).
    /// </summary>
    public static Stream Open(S3Context s3, S3ObjectRecord record, ObjectMeta meta, SecretBox? wrappingKey, long offset, long length)
    {
        if (!ObjectEncryption.IsEncrypted(meta))
        {
            return record.InlineData is { } inline
                ? new MemoryStream(inline, (int)offset, (int)length, writable: false)
                : new ObjectBodyStream(s3.Blobs, S3BlobList.Parse(record.Blobs), offset, length);
        }

        // Each blob (a single PUT's, or each part's) and an inline value is its own encrypted unit;
        // the blob list keeps plaintext lengths, so positions map as they do for plaintext.
        var key = wrappingKey ?? throw new InvalidOperationException("An encrypted object is opened with its wrapping key.");
        var context = ObjectEncryption.Context(record.Bucket, record.Key);
        return record.InlineData is { } sealedInline
            ? ChunkedAesGcm.DecryptRange(key, context, new MemoryStream(sealedInline, writable: false), record.Size, offset, length)
            : new ObjectBodyStream(s3.Blobs, S3BlobList.Parse(record.Blobs), offset, length, (stored, partLength, partOffset, partRange) => ChunkedAesGcm.DecryptRange(key, context, stored, partLength, partOffset, partRange));
    }

    /// <summary>
    /// <see cref="Open"/>, with the first blob of the range opened before it returns: a missing blob or a blob store
    /// that cannot be reached fails here, while the caller can still answer an error, not midway through a body.
    /// </summary>
    public static async Task<Stream> OpenAsync(S3Context s3, S3ObjectRecord record, ObjectMeta meta, SecretBox? wrappingKey, long offset, long length, CancellationToken cancellationToken)
    {
        var stream = Open(s3, record, meta, wrappingKey, offset, length);
        if (stream is ObjectBodyStream body)
        {
            try
            {
                await body.OpenAsync(cancellationToken);
            }
            catch
            {
                await body.DisposeAsync();
                throw;
            }
        }

        return stream;
    }
}
