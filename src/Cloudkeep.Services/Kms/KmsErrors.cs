using Cloudkeep.Core.Errors;

namespace Cloudkeep.Services.Kms;

/// <summary>KMS's errors (AWS KMS API Reference, "Errors" of each action, and "Common Errors"). All are sender faults with 400.</summary>
public static class KmsErrors
{
    public static readonly AwsError AlreadyExists =
        new("AlreadyExistsException", 400, ErrorFault.Sender, "The request was rejected because it attempted to create a resource that already exists.");

    public static readonly AwsError Disabled =
        new("DisabledException", 400, ErrorFault.Sender, "The request was rejected because the specified KMS key is not enabled.");

    public static readonly AwsError DryRunOperation =
        new("DryRunOperationException", 400, ErrorFault.Sender, "The request was successful, but the DryRun option was set.");

    public static readonly AwsError IncorrectKey =
        new("IncorrectKeyException", 400, ErrorFault.Sender, "The key ID in the request does not identify a CMK that can perform this operation.");

    public static readonly AwsError InvalidAliasName =
        new("InvalidAliasNameException", 400, ErrorFault.Sender, "The request was rejected because the specified alias name is not valid.");

    public static readonly AwsError InvalidArn =
        new("InvalidArnException", 400, ErrorFault.Sender, "The request was rejected because a specified ARN, or an ARN in a key policy, is not valid.");

    public static readonly AwsError InvalidCiphertext =
        new("InvalidCiphertextException", 400, ErrorFault.Sender, "");

    public static readonly AwsError InvalidKeyUsage =
        new("InvalidKeyUsageException", 400, ErrorFault.Sender, "The request was rejected for one of the following reasons: the KeyUsage value of the KMS key is incompatible with the API operation, or the encryption algorithm or signing algorithm specified for the operation is incompatible with the type of key material in the KMS key.");

    public static readonly AwsError InvalidMarker =
        new("InvalidMarkerException", 400, ErrorFault.Sender, "The request was rejected because the marker that specifies where pagination should next begin is not valid.");

    public static readonly AwsError InvalidState =
        new("KMSInvalidStateException", 400, ErrorFault.Sender, "The request was rejected because the state of the specified resource is not valid for this request.");

    public static readonly AwsError LimitExceeded =
        new("LimitExceededException", 400, ErrorFault.Sender, "The request was rejected because a quota was exceeded.");

    public static readonly AwsError MalformedPolicyDocument =
        new("MalformedPolicyDocumentException", 400, ErrorFault.Sender, "The request was rejected because the specified policy is not syntactically or semantically correct.");

    /// <summary>Not in the KMS model, but what KMS answers for names under the reserved alias/aws/ prefix.</summary>
    public static readonly AwsError NotAuthorized =
        new("NotAuthorizedException", 400, ErrorFault.Sender, "The request was rejected because you are not authorized to perform this operation.");

    public static readonly AwsError NotFound =
        new("NotFoundException", 400, ErrorFault.Sender, "The request was rejected because the specified entity or resource could not be found.");

    public static readonly AwsError Tag =
        new("TagException", 400, ErrorFault.Sender, "The request was rejected because one or more tags are not valid.");

    public static readonly AwsError UnsupportedOperation =
        new("UnsupportedOperationException", 400, ErrorFault.Sender, "The request was rejected because a specified parameter is not supported or a specified resource is not valid for this operation.");

    public static readonly AwsError Validation =
        new("ValidationException", 400, ErrorFault.Sender, "The input fails to satisfy the constraints specified by an AWS service.");
}
