using System.Collections.Frozen;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// The root element S3 writes for outputs whose body is the output shape itself. The model does not
/// carry these names (botocore's parser ignores the root), so they come from the Amazon S3 API
/// reference's response syntax of each operation.
/// </summary>
public static class S3XmlRootNames
{
    public static readonly FrozenDictionary<string, string> ByOperation = new Dictionary<string, string>
    {
        ["ListBuckets"] = "ListAllMyBucketsResult",
        ["ListObjects"] = "ListBucketResult",
        ["ListObjectsV2"] = "ListBucketResult",
        ["ListObjectVersions"] = "ListVersionsResult",
        ["ListMultipartUploads"] = "ListMultipartUploadsResult",
        ["ListParts"] = "ListPartsResult",
        ["CreateMultipartUpload"] = "InitiateMultipartUploadResult",
        ["CompleteMultipartUpload"] = "CompleteMultipartUploadResult",
        ["DeleteObjects"] = "DeleteResult",
        ["GetBucketLocation"] = "LocationConstraint",
        ["GetBucketAcl"] = "AccessControlPolicy",
        ["GetObjectAcl"] = "AccessControlPolicy",
        ["GetBucketTagging"] = "Tagging",
        ["GetObjectTagging"] = "Tagging",
        ["GetBucketCors"] = "CORSConfiguration",
        ["GetBucketVersioning"] = "VersioningConfiguration",
        ["GetBucketLifecycleConfiguration"] = "LifecycleConfiguration",
        ["GetBucketEncryption"] = "ServerSideEncryptionConfiguration",
        ["GetBucketWebsite"] = "WebsiteConfiguration",
        ["GetBucketLogging"] = "BucketLoggingStatus",
        ["GetBucketRequestPayment"] = "RequestPaymentConfiguration",
        ["GetBucketAccelerateConfiguration"] = "AccelerateConfiguration",
        ["GetBucketNotificationConfiguration"] = "NotificationConfiguration",
        ["GetObjectAttributes"] = "GetObjectAttributesResponse",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
