namespace Cloudkeep.Services.S3.Logging;

/// <summary>
/// The Operation field of a server access log line: "REST.{HTTP method}.{resource type}" as S3
/// writes it (REST.GET.OBJECT, REST.PUT.VERSIONING, REST.POST.MULTI_OBJECT_DELETE, ...); an
/// operation S3's logs are not known to name gets its model name in upper case.
/// </summary>
public static class AccessLogOperations
{
    private static readonly Dictionary<string, string> Resources = new(StringComparer.Ordinal)
    {
        ["GetObject"] = "OBJECT", ["PutObject"] = "OBJECT", ["HeadObject"] = "OBJECT", ["DeleteObject"] = "OBJECT",
        ["GetObjectAttributes"] = "OBJECT_ATTRIBUTES",
        ["ListObjects"] = "BUCKET", ["ListObjectsV2"] = "BUCKET", ["HeadBucket"] = "BUCKET", ["CreateBucket"] = "BUCKET", ["DeleteBucket"] = "BUCKET",
        ["ListObjectVersions"] = "BUCKETVERSIONS",
        ["DeleteObjects"] = "MULTI_OBJECT_DELETE",
        ["CreateMultipartUpload"] = "UPLOADS", ["ListMultipartUploads"] = "UPLOADS",
        ["UploadPart"] = "PART",
        ["CompleteMultipartUpload"] = "UPLOAD", ["AbortMultipartUpload"] = "UPLOAD", ["ListParts"] = "UPLOAD",
        ["GetBucketVersioning"] = "VERSIONING", ["PutBucketVersioning"] = "VERSIONING",
        ["GetBucketAcl"] = "ACL", ["PutBucketAcl"] = "ACL", ["GetObjectAcl"] = "ACL", ["PutObjectAcl"] = "ACL",
        ["GetBucketPolicy"] = "BUCKETPOLICY", ["PutBucketPolicy"] = "BUCKETPOLICY", ["DeleteBucketPolicy"] = "BUCKETPOLICY",
        ["GetBucketPolicyStatus"] = "POLICY_STATUS",
        ["GetBucketLocation"] = "LOCATION",
        ["GetBucketTagging"] = "TAGGING", ["PutBucketTagging"] = "TAGGING", ["DeleteBucketTagging"] = "TAGGING",
        ["GetObjectTagging"] = "OBJECT_TAGGING", ["PutObjectTagging"] = "OBJECT_TAGGING", ["DeleteObjectTagging"] = "OBJECT_TAGGING",
        ["GetBucketLifecycleConfiguration"] = "LIFECYCLE", ["PutBucketLifecycleConfiguration"] = "LIFECYCLE", ["DeleteBucketLifecycle"] = "LIFECYCLE",
        ["GetBucketReplication"] = "REPLICATION", ["PutBucketReplication"] = "REPLICATION", ["DeleteBucketReplication"] = "REPLICATION",
        ["GetBucketEncryption"] = "ENCRYPTION", ["PutBucketEncryption"] = "ENCRYPTION", ["DeleteBucketEncryption"] = "ENCRYPTION",
        ["GetBucketCors"] = "CORS", ["PutBucketCors"] = "CORS", ["DeleteBucketCors"] = "CORS",
        ["GetBucketLogging"] = "LOGGING_STATUS", ["PutBucketLogging"] = "LOGGING_STATUS",
        ["GetPublicAccessBlock"] = "PUBLIC_ACCESS_BLOCK", ["PutPublicAccessBlock"] = "PUBLIC_ACCESS_BLOCK", ["DeletePublicAccessBlock"] = "PUBLIC_ACCESS_BLOCK",
        ["GetBucketOwnershipControls"] = "OWNERSHIP_CONTROLS", ["PutBucketOwnershipControls"] = "OWNERSHIP_CONTROLS", ["DeleteBucketOwnershipControls"] = "OWNERSHIP_CONTROLS",
        ["GetObjectLockConfiguration"] = "OBJECT_LOCK_CONFIGURATION", ["PutObjectLockConfiguration"] = "OBJECT_LOCK_CONFIGURATION",
        ["GetObjectRetention"] = "RETENTION", ["PutObjectRetention"] = "RETENTION",
        ["GetObjectLegalHold"] = "LEGAL_HOLD", ["PutObjectLegalHold"] = "LEGAL_HOLD",
    };

    /// <summary>The field for a request; a browser POST upload is REST.POST.UPLOAD, as S3 logs it.</summary>
    public static string Name(string method, string? operation, bool postUpload = false)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (postUpload)
        {
            return "REST.POST.UPLOAD";
        }

        // A copy is logged under its own verb: REST.COPY.OBJECT, REST.COPY.PART.
        if (operation is "CopyObject" or "UploadPartCopy")
        {
            return operation == "CopyObject" ? "REST.COPY.OBJECT" : "REST.COPY.PART";
        }

        var resource = operation is null ? "UNKNOWN" : Resources.GetValueOrDefault(operation) ?? operation.ToUpperInvariant();
        return "REST." + method.ToUpperInvariant() + "." + resource;
    }
}
