using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Records an uploaded part (UploadPart, UploadPartCopy), cleaning up its blob if the upload vanished meanwhile.</summary>
internal static class PartRecords
{
    public static async Task<OperationResult> SaveAsync(S3Context s3, S3UploadRecord upload, int partNumber, ObjectUploads.Uploaded uploaded, bool copy, CancellationToken cancellationToken)
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
            s3.Blobs.Delete(blob.Id);
            throw;
        }

        if (!saved.Exists)
        {
            s3.Blobs.Delete(blob.Id);
            throw new AwsException(S3Errors.NoSuchUpload, S3Errors.NoSuchUpload.DefaultMessage) { Fields = [new("UploadId", upload.UploadId)] };
        }

        if (saved.ReplacedBlob is not null)
        {
            s3.DeleteBlobs([saved.ReplacedBlob]);
        }

        if (copy)
        {
            var result = new JsonObject { ["ETag"] = uploaded.ETag, ["LastModified"] = JsonValue.Create(now) };
            ObjectUploads.WriteChecksums(result, checksums);
            var copied = new JsonObject { ["CopyPartResult"] = result };
            ObjectEncryption.WriteTo(copied, ObjectMeta.Parse(upload.Meta));
            return new OperationResult(copied);
        }

        var output = new JsonObject { ["ETag"] = uploaded.ETag };
        ObjectUploads.WriteChecksums(output, checksums);
        ObjectEncryption.WriteTo(output, ObjectMeta.Parse(upload.Meta));
        return new OperationResult(output);
    }
}
