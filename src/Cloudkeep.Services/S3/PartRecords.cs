using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Records an uploaded part (UploadPart, UploadPartCopy), cleaning up its blob if the upload vanished meanwhile.</summary>
internal static class PartRecords
{
    /// <summary>
    /// How a part of this upload is sealed: under the upload's wrapping key (the master key, the KMS
    /// data key chosen at CreateMultipartUpload and decrypted for this caller, or the SSE-C key the
    /// part request must carry again), bound to the upload's bucket and key; null when the upload
    /// is stored in the clear (uploads begun before Cloudkeep encrypted).
    /// </summary>
    public static async Task<ObjectUploads.Sealing?> SealingAsync(S3Context s3, OperationRequest request, S3UploadRecord upload, CancellationToken cancellationToken)
    {
        var meta = ObjectMeta.Parse(upload.Meta);
        var key = await ObjectEncryption.ForReadAsync(s3, request, meta, upload.Bucket, upload.Key, ObjectEncryption.ReadFor.UploadPart, cancellationToken);
        return key is null ? null : new ObjectUploads.Sealing(key, ObjectEncryption.Context(upload.Bucket, upload.Key), ObjectEncryption.HidesMd5(meta.Document));
    }

    public static async Task<OperationResult> SaveAsync(S3Context s3, OperationRequest request, S3UploadRecord upload, int partNumber, ObjectUploads.Uploaded uploaded, bool copy, CancellationToken cancellationToken)
    {
        var now = s3.Time.GetUtcNow();
        var checksums = new JsonObject([.. uploaded.Checksums.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]);
        var blob = uploaded.Blob ?? throw new InvalidOperationException("Parts are always stored as blobs.");
        var part = new S3PartRecord(upload.UploadId, partNumber, blob.Id.ToString(), uploaded.Length, uploaded.ETag, now, checksums.ToJsonString());
        (bool Exists, string? ReplacedBlob) saved;
        try
        {
            saved = await s3.Repository.PutPartAsync(part, cancellationToken);
        }
        catch
        {
            await s3.DiscardBlobAsync(blob.Id);
            throw;
        }

        if (!saved.Exists)
        {
            await s3.DiscardBlobAsync(blob.Id);
            throw new AwsException(S3Errors.NoSuchUpload, S3Errors.NoSuchUpload.DefaultMessage) { Fields = [new("UploadId", upload.UploadId)] };
        }

        if (saved.ReplacedBlob is not null)
        {
            await s3.DeleteBlobsAsync([saved.ReplacedBlob]);
        }

        if (copy)
        {
            var result = new JsonObject { ["ETag"] = uploaded.ETag, ["LastModified"] = JsonValue.Create(now) };
            ObjectUploads.WriteChecksums(result, checksums);
            var copied = new JsonObject { ["CopyPartResult"] = result };
            ObjectEncryption.WriteTo(copied, ObjectMeta.Parse(upload.Meta), request);
            return new OperationResult(copied);
        }

        var output = new JsonObject { ["ETag"] = uploaded.ETag };
        ObjectUploads.WriteChecksums(output, checksums);
        ObjectEncryption.WriteTo(output, ObjectMeta.Parse(upload.Meta), request);
        return new OperationResult(output);
    }
}
