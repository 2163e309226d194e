using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Opens a range of an object's bytes, wherever they are kept: inline in its row, or in its blobs.</summary>
internal static class ObjectContent
{
    public static Stream Open(S3Context s3, S3ObjectRecord record, long offset, long length) =>
        record.InlineData is { } inline
            ? new MemoryStream(inline, (int)offset, (int)length, writable: false)
            : new ObjectBodyStream(s3.Blobs, S3BlobList.Parse(record.Blobs), offset, length);
}
