using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// SSE-S3: which encryption a write gets (its x-amz-server-side-encryption header, else the
/// bucket's default), and where an object's bytes say they are encrypted. An object's metadata
/// document carries "ServerSideEncryption": "AES256" when its bytes (inline or in blobs) are in the
/// <see cref="ChunkedAesGcm"/> form; objects written before Cloudkeep encrypted carry no marker and
/// are read as they are stored. A multipart upload's metadata carries the marker from its creation,
/// and each of its parts is encrypted on its own (parts exist before the object does, and
/// completing never copies data), under the object's bucket and key.
/// </summary>
internal static class ObjectEncryption
{
    public const string Member = "ServerSideEncryption";

    /// <summary>
    /// The algorithm of a new object, or S3's refusal: an unknown header value is InvalidArgument
    /// (S3's text); SSE-KMS, DSSE-KMS and SSE-C are not implemented yet and say so (501) rather than
    /// store bytes under weaker protection than the request or the bucket asked for.
    /// </summary>
    public static string ForWrite(BucketState bucket, JsonObject input)
    {
        var requested = S3Input.String(input, Member);
        if (requested is not null && requested is not (BucketEncryption.Aes256 or BucketEncryption.AwsKms or BucketEncryption.AwsKmsDsse))
        {
            throw new AwsException(S3Errors.InvalidArgument, "The encryption method specified is not supported")
            {
                Fields = [new("ArgumentName", "x-amz-server-side-encryption"), new("ArgumentValue", requested)],
            };
        }

        if (requested == BucketEncryption.Aes256 && S3Input.String(input, "SSEKMSKeyId") is { } keyId)
        {
            throw new AwsException(S3Errors.InvalidArgument, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
            {
                Fields = [new("ArgumentName", "x-amz-server-side-encryption-aws-kms-key-id"), new("ArgumentValue", keyId)],
            };
        }

        if (S3Input.String(input, "SSECustomerAlgorithm") is not null || S3Input.String(input, "SSECustomerKey") is not null)
        {
            throw S3Errors.NotImplemented.ToException("Server-side encryption with customer-provided keys (SSE-C) is not implemented by Cloudkeep yet.");
        }

        var algorithm = requested ?? BucketEncryption.DefaultAlgorithm(bucket.Config);
        return algorithm == BucketEncryption.Aes256
            ? algorithm
            : throw S3Errors.NotImplemented.ToException($"Server-side encryption with AWS KMS keys ({algorithm}) is not implemented by Cloudkeep yet; objects can be written with SSE-S3 (AES256).");
    }

    /// <summary>What a data key is sealed to: the object's bucket and key, so stored bytes cannot be passed off as another object's.</summary>
    public static string Context(string bucket, string key) => bucket + "/" + key;

    public static bool IsEncrypted(ObjectMeta meta) => meta.Text(Member) == BucketEncryption.Aes256;

    public static bool IsEncrypted(string metaJson) => IsEncrypted(ObjectMeta.Parse(metaJson));

    /// <summary>Marks a new object's (or upload's) metadata as SSE-S3.</summary>
    public static void Mark(ObjectMeta meta) => meta.Document[Member] = BucketEncryption.Aes256;

    /// <summary>The response header: for objects stored encrypted, the algorithm.</summary>
    public static void WriteTo(JsonObject output, ObjectMeta meta)
    {
        if (IsEncrypted(meta))
        {
            output[Member] = BucketEncryption.Aes256;
        }
    }

    /// <summary>Opens a range of an object's plaintext from its stored form (inline or one blob's stream).</summary>
    public static Stream Decrypt(S3Context s3, S3ObjectRecord record, Stream stored, long plaintextLength, long offset, long length) =>
        ChunkedAesGcm.DecryptRange(s3.MasterKey, Context(record.Bucket, record.Key), stored, plaintextLength, offset, length);
}
