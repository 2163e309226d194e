using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Server-side encryption of objects: which mode a write gets (its headers, else the bucket's
/// default) and the key its bytes are sealed under; and, for a read, that key back. Every mode stores
/// bytes in the same <see cref="ChunkedAesGcm"/> form (a random data key per stored unit, sealed
/// under a wrapping key); the modes differ only in the wrapping key and in what the metadata document
/// keeps to find it again:
/// <list type="bullet">
/// <item>SSE-S3 ("ServerSideEncryption": "AES256"): the server's master key.</item>
/// <item>SSE-KMS ("aws:kms"): a data key KMS generated under the named KMS key as the caller, kept
/// as KMS's ciphertext blob ("SSEKMSDataKey") with the key's ARN, the bucket-key flag and any
/// encryption context the writer added; a read has KMS decrypt it, again as the caller.</item>
/// <item>SSE-C ("SSECustomer"): a key derived from the customer's key (see <see cref="CustomerKey"/>);
/// only a salt and a check value are kept.</item>
/// </list>
/// Objects written before Cloudkeep encrypted carry none of these and are read as they are stored.
/// A multipart upload's metadata carries the mode (and the KMS data key) from its creation, and each
/// part is sealed on its own under it; completing never copies data.
/// </summary>
internal static class ObjectEncryption
{
    public const string Member = "ServerSideEncryption";
    private const string KeyIdMember = "SSEKMSKeyId";
    private const string BucketKeyMember = "BucketKeyEnabled";
    private const string DataKeyMember = "SSEKMSDataKey";
    private const string ContextMember = "SSEKMSEncryptionContext";
    private const string CustomerMember = "SSECustomer";

    /// <summary>How a read names the key it needs: a GET's or HEAD's own headers, a copy's source headers, or an upload part's.</summary>
    public enum ReadFor
    {
        Object,
        CopySource,
        UploadPart,
    }

    /// <summary>A new object's encryption: the wrapping key for its bytes and what its metadata records.</summary>
    public sealed class Write(SecretBox wrappingKey, JsonObject members, CustomerKey? customer)
    {
        public SecretBox WrappingKey { get; } = wrappingKey;

        /// <summary>How the new object's bytes are stored: under this wrapping key, bound to its bucket and key; SSE-KMS and SSE-C ETags are not MD5s.</summary>
        public ObjectUploads.Sealing SealingFor(string bucket, string key) =>
            new(WrappingKey, Context(bucket, key), HidesMd5(members));

        /// <summary>Records the mode in a new object's (or upload's) metadata, replacing whatever a copied document carried.</summary>
        public void Mark(ObjectMeta meta)
        {
            ArgumentNullException.ThrowIfNull(meta);
            Clear(meta);
            foreach (var (name, value) in members)
            {
                meta.Document[name] = value?.DeepClone();
            }
        }

        /// <summary>The response headers of the write.</summary>
        public void WriteTo(JsonObject output, ObjectMeta meta) => ObjectEncryption.WriteTo(output, meta, customer);
    }

    /// <summary>SSE-S3 for an object the server writes itself (access log objects).</summary>
    public static Write SseS3(S3Context s3)
    {
        ArgumentNullException.ThrowIfNull(s3);
        return new Write(s3.MasterKey, new JsonObject { [Member] = BucketEncryption.Aes256 }, null);
    }

    /// <summary>
    /// The encryption of a new object (PutObject, CopyObject's destination, CreateMultipartUpload),
    /// or S3's refusal of the request's headers. For SSE-KMS this asks KMS for the data key, as the
    /// caller, so a caller without kms:GenerateDataKey is refused before any byte is stored.
    /// </summary>
    public static async Task<Write> ForWriteAsync(S3Context s3, OperationRequest request, BucketState bucket, string key, string action, CancellationToken cancellationToken)
    {
        var input = request.Input;
        var requested = S3Input.String(input, Member);
        if (CustomerKey.IsPresent(input, copySource: false) && requested is not null)
        {
            // Checked before anything else about the headers (the SSE-C algorithm too), as AWS answers it.
            throw new AwsException(S3Errors.InvalidArgument, "Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
            {
                Fields = [new("ArgumentName", "x-amz-server-side-encryption"), new("ArgumentValue", requested)],
            };
        }

        if (requested is not null && requested is not (BucketEncryption.Aes256 or BucketEncryption.AwsKms or BucketEncryption.AwsKmsDsse))
        {
            throw new AwsException(S3Errors.InvalidArgument, "The encryption method specified is not supported")
            {
                Fields = [new("ArgumentName", "x-amz-server-side-encryption"), new("ArgumentValue", requested)],
            };
        }

        var customer = CustomerKey.From(input, copySource: false);
        var keyId = S3Input.String(input, "SSEKMSKeyId");
        if (keyId is not null && requested is not (BucketEncryption.AwsKms or BucketEncryption.AwsKmsDsse))
        {
            throw new AwsException(S3Errors.InvalidArgument, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
            {
                Fields = [new("ArgumentName", "x-amz-server-side-encryption-aws-kms-key-id"), new("ArgumentValue", keyId)],
            };
        }

        if (customer is not null)
        {
            CustomerKey.RequireSecureTransport(request);
            if (BucketEncryption.BlocksCustomerKeys(bucket.Config))
            {
                // UG "Troubleshoot access denied (403 Forbidden) errors in Amazon S3", word for word.
                throw S3Errors.AccessDenied.ToException(
                    $"User: {request.Caller.Arn} is not authorized to perform: {action} on resource: \"{S3Arns.ForObject(bucket.Name, key)}\" because this bucket has blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). Please specify a different server-side encryption type");
            }

            var (stored, wrapping) = customer.Seal();
            return new Write(wrapping, new JsonObject { [CustomerMember] = stored }, customer);
        }

        var algorithm = requested ?? BucketEncryption.DefaultAlgorithm(bucket.Config);
        if (algorithm == BucketEncryption.Aes256)
        {
            return new Write(s3.MasterKey, new JsonObject { [Member] = BucketEncryption.Aes256 }, null);
        }

        if (algorithm == BucketEncryption.AwsKmsDsse)
        {
            throw S3Errors.NotImplemented.ToException("Dual-layer server-side encryption with AWS KMS keys (aws:kms:dsse) is not implemented by Cloudkeep yet; objects can be written with SSE-S3 (AES256) or SSE-KMS (aws:kms).");
        }

        RequireSigV4(request);

        // "If you specify x-amz-server-side-encryption:aws:kms ... but do not provide
        // x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the AWS managed key (aws/s3)"
        // (PutObject); a write naming no encryption at all gets the bucket default's key. Either way
        // the bucket's BucketKeyEnabled applies unless the request says otherwise.
        var fromDefault = requested is null;
        var keyReference = keyId ?? (fromDefault ? BucketEncryption.DefaultKmsKeyId(bucket.Config) : null);
        var bucketKey = S3Input.Boolean(input, "BucketKeyEnabled") ?? BucketEncryption.BucketKeyEnabled(bucket.Config);
        var userContext = S3Input.String(input, "SSEKMSEncryptionContext");
        var context = KmsContext(bucket.Name, key, bucketKey, userContext);
        var (keyArn, plaintext, blob) = await S3Kms.GenerateDataKeyAsync(s3, request, keyReference, bucket, fromDefault && keyId is null, context, cancellationToken);
        return KmsWrite(keyArn, bucketKey, blob, userContext, plaintext);
    }

    /// <summary>
    /// The encryption of a replica (the replicator, as the rule's role): SSE-KMS objects get a new
    /// data key under the rule's ReplicaKmsKeyID (else the source's key), made as the role with
    /// kms:Encrypt on that key, as S3 replication needs; everything else becomes SSE-S3 under the
    /// destination's own data keys. SSE-C objects never get here: their key is not S3's to use.
    /// </summary>
    public static async Task<Write> ForReplicaAsync(S3Context s3, OperationRequest request, ObjectMeta source, BucketState destination, string key, string? replicaKmsKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Text(Member) != BucketEncryption.AwsKms)
        {
            return SseS3(s3);
        }

        var bucketKey = BucketEncryption.BucketKeyEnabled(destination.Config);
        var userContext = source.Text(ContextMember);
        var context = KmsContext(destination.Name, key, bucketKey, userContext);
        var (keyArn, plaintext, blob) = await S3Kms.GenerateDataKeyAsync(
            s3, request, replicaKmsKeyId ?? source.Text(KeyIdMember), destination, fromBucketDefault: false, context, cancellationToken, "kms:Encrypt");
        return KmsWrite(keyArn, bucketKey, blob, userContext, plaintext);
    }

    private static Write KmsWrite(string keyArn, bool bucketKey, byte[] blob, string? userContext, byte[] plaintext)
    {
        try
        {
            var members = new JsonObject
            {
                [Member] = BucketEncryption.AwsKms,
                [KeyIdMember] = keyArn,
                [BucketKeyMember] = bucketKey,
                [DataKeyMember] = Convert.ToBase64String(blob),
            };
            if (userContext is not null)
            {
                members[ContextMember] = userContext;
            }

            return new Write(new SecretBox(plaintext), members, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The wrapping key of a stored object (or of an upload, for its parts), or null for bytes stored
    /// in the clear; with <paramref name="withKey"/> false (HEAD) only the checks S3 makes of the
    /// request's SSE-C headers. SSE-C: the object needs the key it was written with (missing: 400
    /// InvalidRequest; wrong: 403 AccessDenied), and an object without SSE-C refuses SSE-C headers.
    /// SSE-KMS: KMS decrypts the data key as the caller (kms:Decrypt).
    /// </summary>
    public static async Task<SecretBox?> ForReadAsync(S3Context s3, OperationRequest request, ObjectMeta meta, string bucket, string key, ReadFor purpose, CancellationToken cancellationToken, bool withKey = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(meta);
        var customer = CustomerKey.From(request.Input, copySource: purpose == ReadFor.CopySource, forRead: true);
        if (meta.Document[CustomerMember] is JsonObject stored)
        {
            if (customer is null)
            {
                throw S3Errors.InvalidRequest.ToException(purpose == ReadFor.UploadPart
                    ? "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters."
                    : "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
            }

            CustomerKey.RequireSecureTransport(request);
            return customer.Open(stored) ?? throw (purpose == ReadFor.UploadPart
                ? S3Errors.InvalidRequest.ToException("The provided encryption parameters did not match the ones used originally.")
                : S3Errors.AccessDenied.ToException("Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key."));
        }

        if (customer is not null)
        {
            throw S3Errors.InvalidRequest.ToException(purpose == ReadFor.UploadPart
                ? "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters."
                : "The encryption parameters are not applicable to this object.");
        }

        if (!withKey)
        {
            return null;
        }

        switch (meta.Text(Member))
        {
            case BucketEncryption.Aes256:
                return s3.MasterKey;
            case BucketEncryption.AwsKms:
                RequireSigV4(request);
                var blob = Convert.FromBase64String(meta.Text(DataKeyMember) ?? "");
                var context = KmsContext(bucket, key, meta.Document[BucketKeyMember]?.GetValue<bool>() == true, meta.Text(ContextMember));
                var plaintext = await S3Kms.DecryptDataKeyAsync(s3, request, blob, context, cancellationToken);
                try
                {
                    return new SecretBox(plaintext);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plaintext);
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// "All GET and PUT requests for an object protected by AWS KMS will fail if they're not made via
    /// SSL or using SigV4" (CopyObject); what S3 answers a SigV2 request for one (recorded in
    /// boto/botocore#377 and aws/aws-sdk-net#2543).
    /// </summary>
    private static void RequireSigV4(OperationRequest request)
    {
        if (request.SignedWithSigV2)
        {
            throw new AwsException(S3Errors.InvalidArgument, "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.")
            {
                Fields = [new("ArgumentName", "Authorization"), new("ArgumentValue", "null")],
            };
        }
    }

    /// <summary>What a data key is sealed to: the object's bucket and key, so stored bytes cannot be passed off as another object's.</summary>
    public static string Context(string bucket, string key) => bucket + "/" + key;

    /// <summary>Whether the mode's ETags hide the MD5 of the bytes (SSE-KMS and SSE-C, as on AWS).</summary>
    public static bool HidesMd5(JsonObject document) =>
        document[CustomerMember] is JsonObject || (document[Member] is JsonValue value && value.TryGetValue<string>(out var algorithm) && algorithm == BucketEncryption.AwsKms);

    /// <summary>Whether the object's bytes are stored in the <see cref="ChunkedAesGcm"/> form (any mode).</summary>
    public static bool IsEncrypted(ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Text(Member) is BucketEncryption.Aes256 or BucketEncryption.AwsKms || meta.Document[CustomerMember] is JsonObject;
    }

    public static bool IsEncrypted(string metaJson) => IsEncrypted(ObjectMeta.Parse(metaJson));

    /// <summary>
    /// The response headers for an object's encryption: the algorithm, and for SSE-KMS the key's ARN
    /// and (only when true, as S3 leaves it out otherwise) the bucket-key flag; for SSE-C the
    /// algorithm and the MD5 of the key the request sent, "to provide the round-trip message
    /// integrity verification of the customer-provided encryption key".
    /// </summary>
    public static void WriteTo(JsonObject output, ObjectMeta meta, CustomerKey? customer = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(meta);
        if (meta.Document[CustomerMember] is JsonObject)
        {
            output["SSECustomerAlgorithm"] = CustomerKey.Algorithm;
            if (customer is not null)
            {
                output["SSECustomerKeyMD5"] = customer.KeyMd5;
            }

            return;
        }

        if (meta.Text(Member) is not { } algorithm)
        {
            return;
        }

        output[Member] = algorithm;
        if (algorithm == BucketEncryption.AwsKms)
        {
            output[KeyIdMember] = meta.Text(KeyIdMember);
            if (meta.Document[BucketKeyMember]?.GetValue<bool>() == true)
            {
                output[BucketKeyMember] = true;
            }
        }
    }

    /// <summary>The response headers of a read or part upload whose request carried the SSE-C key it was checked with.</summary>
    public static void WriteTo(JsonObject output, ObjectMeta meta, OperationRequest request) =>
        WriteTo(output, meta, meta.Document[CustomerMember] is JsonObject ? CustomerKey.From(request.Input, copySource: false, forRead: true) : null);

    /// <summary>Removes a copied document's encryption members (a copy is encrypted anew, per its own request).</summary>
    private static void Clear(ObjectMeta meta)
    {
        foreach (var name in new[] { Member, KeyIdMember, BucketKeyMember, DataKeyMember, ContextMember, CustomerMember })
        {
            meta.Document.Remove(name);
        }
    }

    /// <summary>
    /// The encryption context S3 uses with KMS: "aws:s3:arn" is the object's ARN, or the bucket's
    /// when S3 Bucket Keys are on (UG "Using SSE-KMS", Encryption context), plus any pairs the writer
    /// added in x-amz-server-side-encryption-context (base64 of a JSON object of strings).
    /// </summary>
    private static Dictionary<string, string> KmsContext(string bucket, string key, bool bucketKey, string? userContext)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        if (userContext is not null)
        {
            try
            {
                var document = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(userContext))) as JsonObject
                    ?? throw new FormatException();
                foreach (var (name, value) in document)
                {
                    context[name] = value is JsonValue text && text.TryGetValue<string>(out var s) ? s : throw new FormatException();
                }
            }
            catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
            {
                throw S3Errors.InvalidArgument.ToException("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map");
            }
        }

        context["aws:s3:arn"] = bucketKey ? S3Arns.ForBucket(bucket) : S3Arns.ForObject(bucket, key);
        return context;
    }
}
