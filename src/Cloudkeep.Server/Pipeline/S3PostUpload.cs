using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.IO;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;
using Cloudkeep.Protocol.SigV4;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.S3;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Browser-based uploads: POST to a bucket with a multipart/form-data body (what the SDKs'
/// generate_presigned_post makes). The authenticate step reads the form and checks the policy's
/// signature and conditions; the decode step makes the fields PutObject's input, with the file part
/// streaming as its body, so authorization and storage are exactly PutObject's.
/// </summary>
internal sealed class S3PostUpload(CredentialResolver credentials, SigningKeyCache keys, TimeProvider time)
{
    /// <summary>
    /// The authenticate step's part: the form's fields are read (the file is left streaming), the
    /// policy's signature establishes the caller and its conditions are checked, and the file
    /// becomes the verified body, held to the policy's content-length-range.
    /// </summary>
    public async Task AuthenticateAsync(HttpContext context, RequestState state, string bucket)
    {
        var form = await S3PostForm.ReadAsync(context);
        var fields = form.Fields;
        state.PostForm = form;
        long min = 0;
        var max = long.MaxValue;
        if (fields.TryGetValue("policy", out var policy))
        {
            state.Caller = await CallerAsync(fields, policy, context.RequestAborted);
            state.SignedWithSigV2 = fields.ContainsKey("AWSAccessKeyId");
            string policyJson;
            try
            {
                policyJson = Encoding.UTF8.GetString(Convert.FromBase64String(policy));
            }
            catch (FormatException)
            {
                throw S3Errors.InvalidPolicyDocument.ToException();
            }

            (min, max) = PostPolicy.Check(policyJson, fields, bucket, time.GetUtcNow());
        }

        state.BodyStream = new LengthRangeStream(form.File, min, max);
    }

    /// <summary>The decode step's part: the form's fields as PutObject's input.</summary>
    public static void Decode(RequestState state, S3PostForm form, ServiceModel s3, IOperationHandler putObject, string bucket)
    {
        var fields = form.Fields;
        var fileName = form.FileName;
        var fileContentType = form.FileContentType;
        if (!fields.TryGetValue("key", out var keyTemplate) || keyTemplate.Length == 0)
        {
            throw S3Errors.InvalidArgument.ToException("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
        }

        var input = new JsonObject
        {
            ["Bucket"] = bucket,
            ["Key"] = keyTemplate.Replace("${filename}", fileName, StringComparison.Ordinal),
        };
        foreach (var (field, member) in new[] { ("Content-Type", "ContentType"), ("Cache-Control", "CacheControl"), ("Content-Disposition", "ContentDisposition"), ("Content-Encoding", "ContentEncoding"), ("acl", "ACL") })
        {
            if (fields.TryGetValue(field, out var value))
            {
                HeaderText.RefuseControlCharacters(field, value);
                input[member] = value;
            }
        }

        // The encryption fields a POST form may carry (RESTObjectPOST), read as PutObject's headers.
        foreach (var (field, member) in new[]
        {
            ("x-amz-server-side-encryption", "ServerSideEncryption"), ("x-amz-server-side-encryption-aws-kms-key-id", "SSEKMSKeyId"),
            ("x-amz-server-side-encryption-context", "SSEKMSEncryptionContext"), ("x-amz-server-side-encryption-customer-algorithm", "SSECustomerAlgorithm"),
            ("x-amz-server-side-encryption-customer-key", "SSECustomerKey"), ("x-amz-server-side-encryption-customer-key-MD5", "SSECustomerKeyMD5"),
        })
        {
            if (fields.TryGetValue(field, out var value))
            {
                input[member] = value;
            }
        }

        if (fields.TryGetValue("x-amz-server-side-encryption-bucket-key-enabled", out var bucketKey))
        {
            input["BucketKeyEnabled"] = string.Equals(bucketKey, "true", StringComparison.OrdinalIgnoreCase);
        }

        if (!input.ContainsKey("ContentType") && fileContentType is not null)
        {
            input["ContentType"] = fileContentType;
        }

        var metadata = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                var text = HeaderText.Decode(value);
                HeaderText.RefuseControlCharacters(name, text);
                metadata[name["x-amz-meta-".Length..].ToLowerInvariant()] = text;
            }
        }

        if (metadata.Count > 0)
        {
            input["Metadata"] = metadata;
        }

        state.Operation = s3.Operations["PutObject"];
        state.Handler = putObject;
        state.Input = input;
        state.PostUpload = new PostUploadResult(
            fields.TryGetValue("success_action_status", out var status) && status is "200" or "201" ? int.Parse(status, CultureInfo.InvariantCulture) : 204,
            fields.GetValueOrDefault("success_action_redirect") ?? fields.GetValueOrDefault("redirect"));
    }

    private async Task<Core.Identity.Caller> CallerAsync(Dictionary<string, string> fields, string policy, CancellationToken cancellationToken)
    {
        if (fields.TryGetValue("AWSAccessKeyId", out var v2KeyId) && fields.TryGetValue("signature", out var v2Signature))
        {
            // Signature version 2 (what boto3's generate_presigned_post makes unless told s3v4):
            // base64 of HMAC-SHA1 over the base64 policy.
            var v2 = await credentials.ResolveAsync(v2KeyId, fields.GetValueOrDefault("x-amz-security-token"), cancellationToken);
            return Protocol.SigV2.SigV2Presigned.Verify(v2.SecretAccessKey, policy, v2Signature)
                ? v2.Caller
                : throw CommonErrors.SignatureDoesNotMatch.ToException();
        }

        if (fields.GetValueOrDefault("x-amz-algorithm") != SigV4Constants.Algorithm
            || !fields.TryGetValue("x-amz-credential", out var credentialText)
            || !fields.TryGetValue("x-amz-signature", out var signature))
        {
            throw S3Errors.InvalidArgument.ToException("POST requires x-amz-algorithm AWS4-HMAC-SHA256, x-amz-credential and x-amz-signature with a policy.");
        }

        var parts = credentialText.Split('/');
        if (parts.Length != 5 || parts[3] != "s3" || parts[4] != "aws4_request")
        {
            throw S3Errors.InvalidArgument.ToException("Invalid x-amz-credential.");
        }

        var credential = await credentials.ResolveAsync(parts[0], fields.GetValueOrDefault("x-amz-security-token"), cancellationToken);
        var key = keys.Get(credential.SecretAccessKey, parts[1], parts[2], "s3");
        if (!SigV4Verifier.SignatureMatches(key, policy, signature.ToLowerInvariant()))
        {
            throw CommonErrors.SignatureDoesNotMatch.ToException();
        }

        return credential.Caller;
    }

    /// <summary>Enforces the policy's content-length-range while the file streams.</summary>
    private sealed class LengthRangeStream(Stream inner, long min, long max) : ReadOnlyForwardStream
    {
        private long _total;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // The file part ends without its closing boundary.
                throw S3Errors.MalformedPostRequest.ToException();
            }

            _total += read;
            if (_total > max)
            {
                throw S3Errors.EntityTooLarge.ToException("Your proposed upload exceeds the maximum allowed size");
            }

            if (read == 0 && _total < min)
            {
                throw S3Errors.EntityTooSmall.ToException();
            }

            return read;
        }
    }
}

/// <summary>How a browser upload is answered: success_action_status (204 by default) or a redirect.</summary>
internal sealed record PostUploadResult(int Status, string? Redirect);
