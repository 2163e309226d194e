using System.Net;
using System.Security.Cryptography;
using Amazon.KeyManagementService.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.Kms;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// Every combination of encryption headers S3 refuses, with S3's code and status (recorded against
/// AWS by LocalStack, 2026-02-21, and the S3 API reference), sent as botocore-signed raw requests so
/// no SDK corrects them first; nothing is stored afterwards. Reads of stored objects with the wrong
/// or missing key, and with a KMS key that can no longer be used, are the second table.
/// </summary>
public sealed class S3EncryptionBadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Short = RandomNumberGenerator.GetBytes(24);

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Md5(byte[] bytes) => Convert.ToBase64String(MD5.HashData(bytes));

    private const string Algorithm = "x-amz-server-side-encryption-customer-algorithm";
    private const string CustomerKey = "x-amz-server-side-encryption-customer-key";
    private const string CustomerKeyMd5 = "x-amz-server-side-encryption-customer-key-MD5";
    private const string Sse = "x-amz-server-side-encryption";
    private const string KmsKeyId = "x-amz-server-side-encryption-aws-kms-key-id";

    /// <summary>Headers, status, code, message (null: not checked). "{disabled}" stands for a key the test disables first.</summary>
    public static TheoryData<string, Dictionary<string, string>, int, string, string?> Writes() => new()
    {
        {
            "SSE-C with SSE-S3", new() { [Sse] = "AES256", [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified"
        },
        {
            "SSE-C with SSE-KMS", new() { [Sse] = "aws:kms", [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified"
        },
        {
            "SSE-C of an unknown algorithm with SSE-S3", new() { [Sse] = "AES256", [Algorithm] = "AES512", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified"
        },
        {
            "KMS key id without aws:kms", new() { [KmsKeyId] = "alias/anything" },
            400, "InvalidArgument", "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
        },
        {
            "KMS key id with SSE-C", new() { [KmsKeyId] = "alias/anything", [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidArgument", "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
        },
        {
            "key MD5 does not match", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Short) },
            400, "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided."
        },
        {
            "key of 192 bits", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Short), [CustomerKeyMd5] = Md5(Short) },
            400, "InvalidArgument", "The secret key was invalid for the specified algorithm."
        },
        {
            "unknown SSE-C algorithm", new() { [Algorithm] = "AES512", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidEncryptionAlgorithmError", "The Encryption request you specified is not valid. Supported value: AES256."
        },
        {
            "SSE-C algorithm without a key", new() { [Algorithm] = "AES256" },
            400, "InvalidArgument", "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key."
        },
        {
            "SSE-C key without an algorithm", new() { [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) },
            400, "InvalidArgument", "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm."
        },
        { "unknown SSE value", new() { [Sse] = "AES512" }, 400, "InvalidArgument", "The encryption method specified is not supported" },
        { "KMS alias that does not exist", new() { [Sse] = "aws:kms", [KmsKeyId] = "alias/does-not-exist" }, 400, "KMS.NotFoundException", null },
        { "KMS key id that does not exist", new() { [Sse] = "aws:kms", [KmsKeyId] = "0f0e0d0c-0b0a-4909-8807-060504030201" }, 400, "KMS.NotFoundException", null },
        { "KMS key id that is no id", new() { [Sse] = "aws:kms", [KmsKeyId] = "fake-key-id" }, 400, "KMS.NotFoundException", "Invalid keyId 'fake-key-id'" },
        { "disabled KMS key", new() { [Sse] = "aws:kms", [KmsKeyId] = "{disabled}" }, 400, "KMS.DisabledException", null },
        {
            "encryption context that is not base64 JSON", new() { [Sse] = "aws:kms", ["x-amz-server-side-encryption-context"] = "not-json" },
            400, "InvalidArgument", "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map"
        },
        { "DSSE-KMS", new() { [Sse] = "aws:kms:dsse" }, 501, "NotImplemented", null },
    };

    private async Task<string> DisabledKeyAsync()
    {
        using var kms = KmsClients.Kms(fixture.Server);
        var key = await kms.NewKeyAsync("disabled for the bad-input table");
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        return key.Arn;
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task PutObjectAndCreateMultipartUpload_RefusedEncryptionHeaders_AnswerS3sErrorAndStoreNothing(string @case, Dictionary<string, string> headers, int status, string code, string? message)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("ssebad");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = KmsClients.Region });
        await S3EncryptionCustomerKeyTests.AllowSseCAsync(s3, bucket);
        if (headers.ContainsValue("{disabled}"))
        {
            headers[KmsKeyId] = await DisabledKeyAsync();
        }

        foreach (var (method, path) in new[] { ("PUT", "/" + bucket + "/k"), ("POST", "/" + bucket + "/k?uploads") })
        {
            var (actual, body) = await S3SignedRequests.SendAsync(fixture.Server, method, path, method == "PUT" ? "secret" : "", headers);
            Assert.True(status == actual, $"{@case} ({method}): {actual} {body}");
            Assert.Contains("<Code>" + code + "</Code>", body, StringComparison.Ordinal);
            if (message is not null)
            {
                Assert.Contains("<Message>" + message + "</Message>", body, StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectMetadataAsync(bucket, "k"))).StatusCode);
        Assert.Empty((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
    }

    /// <summary>A stored object ("ssec": SSE-C under <see cref="Key"/>, "sses3", "kms": under a key then disabled), the read's headers, status, code.</summary>
    public static TheoryData<string, string, Dictionary<string, string>, int, string> Reads() => new()
    {
        { "SSE-C object without the key", "ssec", new(), 400, "InvalidRequest" },
        { "SSE-C object with another key", "ssec", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Short.Concat(Short).Take(32).ToArray()), [CustomerKeyMd5] = Md5(Short.Concat(Short).Take(32).ToArray()) }, 403, "AccessDenied" },
        { "SSE-C object with a key of the wrong length", "ssec", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Short), [CustomerKeyMd5] = Md5(Short) }, 403, "AccessDenied" },
        { "SSE-C object with a bad key MD5", "ssec", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Short) }, 400, "InvalidArgument" },
        { "SSE-C object with another algorithm", "ssec", new() { [Algorithm] = "AES512", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) }, 400, "InvalidEncryptionAlgorithmError" },
        { "SSE-S3 object with SSE-C headers", "sses3", new() { [Algorithm] = "AES256", [CustomerKey] = B64(Key), [CustomerKeyMd5] = Md5(Key) }, 400, "InvalidRequest" },
        { "SSE-KMS object whose key is disabled", "kms", new(), 400, "KMS.DisabledException" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task GetObject_WrongOrMissingKey_AnswersS3sError(string @case, string stored, Dictionary<string, string> headers, int status, string code)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        using var kms = KmsClients.Kms(fixture.Server);
        var bucket = S3Clients.UniqueBucket("ssebadread");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = KmsClients.Region });
        await S3EncryptionCustomerKeyTests.AllowSseCAsync(s3, bucket);
        var put = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "payload-7f3a" };
        string? kmsKey = null;
        switch (stored)
        {
            case "ssec":
                put.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
                put.ServerSideEncryptionCustomerProvidedKey = B64(Key);
                break;
            case "kms":
                kmsKey = (await kms.NewKeyAsync("disabled after the write")).KeyId;
                put.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
                put.ServerSideEncryptionKeyManagementServiceKeyId = kmsKey;
                break;
        }

        await s3.PutObjectAsync(put);
        if (kmsKey is not null)
        {
            await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = kmsKey });
        }

        var (actual, body) = await S3SignedRequests.SendAsync(fixture.Server, "GET", "/" + bucket + "/k", "", headers);
        Assert.True(status == actual, $"{@case}: {actual} {body}");
        Assert.Contains("<Code>" + code + "</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("payload-7f3a", body, StringComparison.Ordinal);
    }
}
