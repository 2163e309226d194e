using System.Security.Cryptography;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Kms;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The KMS requests S3 makes for SSE-KMS, as the caller: a write asks for a data key
/// (kms:GenerateDataKey), a read asks for it back (kms:Decrypt). AWS makes these with the caller's
/// own credentials (a forward access session), so the key policy, the caller's identity policies,
/// SCPs and the cross-account rules decide, and kms:ViaService names S3. Each is authorized by the
/// one policy engine here, as a request of its own, and KMS's refusals reach the S3 client the way
/// S3 reports them: AccessDenied stays 403, other KMS errors become "KMS." codes with 400.
/// </summary>
internal static class S3Kms
{
    public const string Service = "s3";

    /// <summary>
    /// A new data key for an object: its plaintext (the caller wipes it), its ciphertext blob and the
    /// key's ARN. The permission asked is kms:GenerateDataKey for a write, kms:Encrypt for a replica
    /// (what S3 replication's role needs on the destination key).
    /// </summary>
    public static async Task<(string KeyArn, byte[] Plaintext, byte[] Blob)> GenerateDataKeyAsync(
        S3Context s3, OperationRequest request, string? keyReference, BucketState bucket, bool fromBucketDefault, IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken,
        string action = "kms:GenerateDataKey")
    {
        var (kms, authorizer) = Require(s3);
        return await AsS3Async(async () =>
        {
            // S3 asks KMS in the bucket's region, whatever region the request was signed for: "the
            // KMS key must be in the same Region as the bucket" (UG, "Using SSE-KMS"); a key ARN of
            // another region is not found.
            var key = keyReference is null
                ? await kms.AwsManagedKeyAsync(request.Caller.AccountId, bucket.Region, Service, cancellationToken)
                : await kms.ResolveAsync(Regional(request, bucket.Region), Qualify(keyReference, bucket, fromBucketDefault), allowAlias: true, cancellationToken);
            await authorizer.AuthorizeAsync(request.Caller, kms.TargetFor(key, action, request.Caller.AccountId, context, Service), Regional(request, key.Region), cancellationToken);
            var dataKey = RandomNumberGenerator.GetBytes(SecretBox.KeySize);
            try
            {
                var blob = await kms.EncryptAsync(key, dataKey, context, cancellationToken);
                return (KmsKeyStore.KeyArn(key), dataKey, blob);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(dataKey);
                throw;
            }
        });
    }

    /// <summary>An object's data key, decrypted by KMS for this caller (kms:Decrypt on the key that made it).</summary>
    public static async Task<byte[]> DecryptDataKeyAsync(S3Context s3, OperationRequest request, byte[] blob, IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken)
    {
        var (kms, authorizer) = Require(s3);
        return await AsS3Async(async () =>
        {
            if (!KmsCiphertext.TryReadHeader(blob, out var keyId, out _))
            {
                throw KmsErrors.InvalidCiphertext.ToException();
            }

            // A key deleted after its waiting period is gone: KMS answers that it does not exist.
            var key = await kms.FindAsync(keyId.ToString("D"), cancellationToken)
                ?? throw KmsErrors.NotFound.ToException($"Key '{keyId:D}' does not exist");
            var regional = Regional(request, key.Region);
            await authorizer.AuthorizeAsync(request.Caller, kms.TargetFor(key, "kms:Decrypt", request.Caller.AccountId, context, Service), regional, cancellationToken);
            KmsKeyStore.EnsureUsable(key);
            var (_, plaintext) = await kms.DecryptAsync(regional, blob, context, null, cancellationToken);
            return plaintext;
        });
    }

    /// <summary>
    /// A bucket default naming a bare key id means the bucket owner's key (S3 reports it as an ARN in
    /// the bucket's account and region); aliases and ids sent with a request resolve in the caller's
    /// account, as KMS resolves them ("KMS resolves the key within the requester's account").
    /// </summary>
    private static string Qualify(string reference, BucketState bucket, bool fromBucketDefault) =>
        fromBucketDefault && KmsKeyStore.IsKeyId(reference) ? KmsKeyStore.KeyArn(bucket.Region, bucket.AccountId, reference) : reference;

    /// <summary>
    /// The request as KMS sees it: in the region S3 calls KMS in (the bucket's, which is the key's), so
    /// key lookups and aws:RequestedRegion (an SCP's region guard) are those of the KMS request.
    /// </summary>
    private static OperationRequest Regional(OperationRequest request, string region) =>
        request.Region == region ? request : new OperationRequest
        {
            Service = request.Service, Operation = request.Operation, Input = request.Input, Caller = request.Caller, Region = region,
            RequestId = request.RequestId, SourceIp = request.SourceIp, UserAgent = request.UserAgent, Referer = request.Referer, SecureTransport = request.SecureTransport, SignedWithSigV2 = request.SignedWithSigV2,
        };

    private static (KmsKeyStore Kms, IRequestAuthorizer Authorizer) Require(S3Context s3) =>
        s3.Kms is { } kms && s3.Authorizer is { } authorizer
            ? (kms, authorizer)
            : throw S3Errors.NotImplemented.ToException("Server-side encryption with AWS KMS keys needs the server's KMS, which this S3 has not been given.");

    private static async Task<T> AsS3Async<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AwsException e) when (e.Code is not "AccessDenied" && ToS3(e.Code) is { } error)
        {
            throw new AwsException(error, e.Message);
        }
    }

    private static AwsError? ToS3(string kmsCode) => kmsCode switch
    {
        "DisabledException" => S3Errors.KmsDisabled,
        "KMSInvalidStateException" => S3Errors.KmsInvalidState,
        "NotFoundException" => S3Errors.KmsNotFound,
        "InvalidKeyUsageException" => S3Errors.KmsInvalidKeyUsage,
        "InvalidCiphertextException" => S3Errors.KmsInvalidCiphertext,
        _ => null,
    };
}
