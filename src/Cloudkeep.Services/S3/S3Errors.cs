using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.S3;

/// <summary>S3's error catalogue ("Error responses" in the Amazon S3 API reference): code, status, default message.</summary>
public static class S3Errors
{
    /// <summary>S3's answer when it cannot keep up: SDKs retry it with back-off.</summary>
    public static readonly AwsError ServiceUnavailable = new("ServiceUnavailable", 503, ErrorFault.Receiver, "Service is unable to handle request.");

    public static readonly AwsError SlowDown = new("SlowDown", 503, ErrorFault.Receiver, "Please reduce your request rate.");
    public static readonly AwsError NoSuchBucket = new("NoSuchBucket", 404, ErrorFault.Sender, "The specified bucket does not exist");
    public static readonly AwsError NoSuchKey = new("NoSuchKey", 404, ErrorFault.Sender, "The specified key does not exist.");
    public static readonly AwsError NoSuchUpload = new("NoSuchUpload", 404, ErrorFault.Sender, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    public static readonly AwsError NoSuchBucketPolicy = new("NoSuchBucketPolicy", 404, ErrorFault.Sender, "The bucket policy does not exist");
    public static readonly AwsError NoSuchTagSet = new("NoSuchTagSet", 404, ErrorFault.Sender, "The TagSet does not exist");
    public static readonly AwsError NoSuchCorsConfiguration = new("NoSuchCORSConfiguration", 404, ErrorFault.Sender, "The CORS configuration does not exist");
    public static readonly AwsError NoSuchPublicAccessBlockConfiguration = new("NoSuchPublicAccessBlockConfiguration", 404, ErrorFault.Sender, "The public access block configuration was not found");
    public static readonly AwsError OwnershipControlsNotFound = new("OwnershipControlsNotFoundError", 404, ErrorFault.Sender, "The bucket ownership controls were not found");
    public static readonly AwsError BucketAlreadyExists = new("BucketAlreadyExists", 409, ErrorFault.Sender, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
    public static readonly AwsError BucketAlreadyOwnedByYou = new("BucketAlreadyOwnedByYou", 409, ErrorFault.Sender, "Your previous request to create the named bucket succeeded and you already own it.");
    public static readonly AwsError BucketNotEmpty = new("BucketNotEmpty", 409, ErrorFault.Sender, "The bucket you tried to delete is not empty");
    public static readonly AwsError InvalidBucketName = new("InvalidBucketName", 400, ErrorFault.Sender, "The specified bucket is not valid.");
    public static readonly AwsError InvalidLocationConstraint = new("InvalidLocationConstraint", 400, ErrorFault.Sender, "The specified location-constraint is not valid");
    public static readonly AwsError KeyTooLong = new("KeyTooLongError", 400, ErrorFault.Sender, "Your key is too long");
    public static readonly AwsError MalformedPolicy = new("MalformedPolicy", 400, ErrorFault.Sender, "Policies must be valid JSON and the first byte must be '{'");
    public static readonly AwsError InvalidDigest = new("InvalidDigest", 400, ErrorFault.Sender, "The Content-MD5 you specified is not valid.");
    public static readonly AwsError BadDigest = new("BadDigest", 400, ErrorFault.Sender, "The Content-MD5 you specified did not match what we received.");
    public static readonly AwsError InvalidRange = new("InvalidRange", 416, ErrorFault.Sender, "The requested range is not satisfiable");
    public static readonly AwsError ConditionalRequestConflict = new("ConditionalRequestConflict", 409, ErrorFault.Sender, "The conditional request cannot succeed due to a conflicting operation against this resource.");
    public static readonly AwsError NotImplemented = new("NotImplemented", 501, ErrorFault.Receiver, "A header you provided implies functionality that is not implemented");
    public static readonly AwsError PreconditionFailed = new("PreconditionFailed", 412, ErrorFault.Sender, "At least one of the pre-conditions you specified did not hold");
    public static readonly AwsError EntityTooSmall = new("EntityTooSmall", 400, ErrorFault.Sender, "Your proposed upload is smaller than the minimum allowed object size.");
    public static readonly AwsError EntityTooLarge = new("EntityTooLarge", 400, ErrorFault.Sender, "Your proposed upload exceeds the maximum allowed object size.");
    public static readonly AwsError InvalidPart = new("InvalidPart", 400, ErrorFault.Sender, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
    public static readonly AwsError InvalidPartOrder = new("InvalidPartOrder", 400, ErrorFault.Sender, "The list of parts was not in ascending order. Parts must be ordered by part number.");
    public static readonly AwsError MalformedXml = S3AuthErrors.MalformedXml;
    public static readonly AwsError InvalidArgument = S3AuthErrors.InvalidArgument;
    public static readonly AwsError InvalidRequest = new("InvalidRequest", 400, ErrorFault.Sender, "Invalid Request");
    public static readonly AwsError InvalidEncryptionAlgorithm = new("InvalidEncryptionAlgorithmError", 400, ErrorFault.Sender, "The Encryption request you specified is not valid. Supported value: AES256.");

    // KMS's errors as S3 surfaces them when it calls KMS for an SSE-KMS object ("List of error
    // codes" in the S3 API reference): KMS's code prefixed with "KMS.", all 400 Bad Request.
    public static readonly AwsError KmsDisabled = new("KMS.DisabledException", 400, ErrorFault.Sender, "The request was rejected because the specified KMS key is not enabled.");
    public static readonly AwsError KmsInvalidState = new("KMS.KMSInvalidStateException", 400, ErrorFault.Sender, "The request was rejected because the state of the specified resource is not valid for this request.");
    public static readonly AwsError KmsNotFound = new("KMS.NotFoundException", 400, ErrorFault.Sender, "The request was rejected because the specified entity or resource could not be found.");
    public static readonly AwsError KmsInvalidCiphertext = new("KMS.InvalidCiphertextException", 400, ErrorFault.Sender, "The request was rejected because the specified ciphertext, or additional authenticated data incorporated into the ciphertext, such as the encryption context, is corrupted, missing, or otherwise invalid.");
    public static readonly AwsError KmsInvalidKeyUsage = new("KMS.InvalidKeyUsageException", 400, ErrorFault.Sender, "The request was rejected because the KeyUsage value of the KMS key is incompatible with the API operation.");
    public static readonly AwsError InvalidTag = new("InvalidTag", 400, ErrorFault.Sender, "The TagSet provided is not valid.");
    public static readonly AwsError AccessControlListNotSupported = new("AccessControlListNotSupported", 400, ErrorFault.Sender, "The bucket does not allow ACLs");
    public static readonly AwsError AccessDenied = new("AccessDenied", 403, ErrorFault.Sender, "Access Denied");
    public static readonly AwsError MissingContentLength = new("MissingContentLength", 411, ErrorFault.Sender, "You must provide the Content-Length HTTP header.");
    public static readonly AwsError CorsForbidden = new("AccessForbidden", 403, ErrorFault.Sender, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
    public static readonly AwsError InvalidBucketAclWithObjectOwnership = new("InvalidBucketAclWithObjectOwnership", 400, ErrorFault.Sender, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    public static readonly AwsError BadRequestTags = new("BadRequest", 400, ErrorFault.Sender, "Object tags cannot be greater than 10");
    public static readonly AwsError InvalidPartNumber = new("InvalidPartNumber", 416, ErrorFault.Sender, "The requested partnumber is not satisfiable");
    public static readonly AwsError MalformedPostRequest = new("MalformedPOSTRequest", 400, ErrorFault.Sender, "The body of your POST request is not well-formed multipart/form-data.");
    public static readonly AwsError MaxPostPreDataLengthExceeded = new("MaxPostPreDataLengthExceededError", 400, ErrorFault.Sender, "Your POST request fields preceding the upload file were too large.");
    public static readonly AwsError InvalidPolicyDocument = new("InvalidPolicyDocument", 400, ErrorFault.Sender, "The content of the form does not meet the conditions specified in the policy document.");
    public static readonly AwsError InvalidStorageClass = new("InvalidStorageClass", 400, ErrorFault.Sender, "The storage class you specified is not valid");
    public static readonly AwsError NoSuchVersion = new("NoSuchVersion", 404, ErrorFault.Sender, "The specified version does not exist.");
    public static readonly AwsError MethodNotAllowed = S3AuthErrors.MethodNotAllowed;
    public static readonly AwsError InvalidBucketState = new("InvalidBucketState", 409, ErrorFault.Sender, "The request is not valid with the current state of the bucket.");
    public static readonly AwsError NoSuchLifecycleConfiguration = new("NoSuchLifecycleConfiguration", 404, ErrorFault.Sender, "The lifecycle configuration does not exist");
    public static readonly AwsError ObjectLockConfigurationNotFound = new("ObjectLockConfigurationNotFoundError", 404, ErrorFault.Sender, "Object Lock configuration does not exist for this bucket");
    public static readonly AwsError ServerSideEncryptionConfigurationNotFound = new("ServerSideEncryptionConfigurationNotFoundError", 404, ErrorFault.Sender, "The server side encryption configuration was not found");
    public static readonly AwsError InvalidTargetBucketForLogging = new("InvalidTargetBucketForLogging", 400, ErrorFault.Sender, "The target bucket for logging does not exist");
    public static readonly AwsError CrossLocationLoggingProhibited = new("CrossLocationLoggingProhibitted", 403, ErrorFault.Sender, "Cross S3 location logging not allowed. ");
    public static readonly AwsError ReplicationConfigurationNotFound = new("ReplicationConfigurationNotFoundError", 404, ErrorFault.Sender, "The replication configuration was not found");
    public static readonly AwsError InternalError = Core.Errors.CommonErrors.InternalError;
    public static readonly AwsError NoSuchObjectLockConfiguration = new("NoSuchObjectLockConfiguration", 404, ErrorFault.Sender, "The specified object does not have a ObjectLock configuration");
}
