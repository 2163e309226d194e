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
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Browser-based uploads: POST to a bucket with a multipart/form-data body (what the SDKs'
/// generate_presigned_post makes). The fields before the file are read (bounded), the policy's
/// SigV4 signature is checked and its conditions enforced, then the request runs as PutObject with
/// the file part streaming as its body, so authorization and storage are exactly PutObject's.
/// </summary>
internal sealed class S3PostUpload(CredentialResolver credentials, SigningKeyCache keys, TimeProvider time)
{
    private const int MaxFieldBytes = 20 * 1024;
    private const int MaxFieldsBytes = 256 * 1024;

    /// <summary>RFC 2046's limit on a multipart boundary.</summary>
    private const int MaxBoundaryLength = 70;

    public static bool IsPostUpload(HttpRequest request, string path) =>
        HttpMethods.IsPost(request.Method)
        && request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true
        && path.Trim('/').Length > 0 && !path.Trim('/').Contains('/', StringComparison.Ordinal)
        && request.QueryString.Value is null or "";

    public async Task DecodeAsync(HttpContext context, RequestState state, ServiceModel s3, IOperationHandler putObject, string bucket)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            throw S3Errors.MalformedPostRequest.ToException();
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Stream? file = null;
        string? fileName = null;
        string? fileContentType = null;
        var total = 0;
        MultipartSection? section;
        try
        {
            while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.Name.HasValue)
                {
                    throw S3Errors.MalformedPostRequest.ToException();
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
                if (name.Equals("file", StringComparison.OrdinalIgnoreCase))
                {
                    // Fields after the file are ignored, as S3 does; the file streams from here.
                    file = section.Body;
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                    fileContentType = section.ContentType;
                    break;
                }

                var bytes = await BodyReader.ReadBoundedAsync(section.Body, MaxFieldBytes, S3Errors.MaxPostPreDataLengthExceeded, context.RequestAborted);
                total += bytes.Length;
                if (total > MaxFieldsBytes)
                {
                    throw S3Errors.MaxPostPreDataLengthExceeded.ToException();
                }

                fields[name] = Encoding.UTF8.GetString(bytes);
            }
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && !context.RequestAborted.IsCancellationRequested))
        {
            // An empty body, a missing boundary line or a part cut off before its end.
            throw S3Errors.MalformedPostRequest.ToException();
        }

        if (file is null)
        {
            throw S3Errors.InvalidArgument.ToException("POST requires exactly one file upload per request.");
        }

        long min = 0;
        var max = long.MaxValue;
        if (fields.TryGetValue("policy", out var policy))
        {
            state.Caller = await AuthenticateAsync(fields, policy, context.RequestAborted);
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
        state.BodyStream = new LengthRangeStream(file, min, max);
        state.PostUpload = new PostUploadResult(
            fields.TryGetValue("success_action_status", out var status) && status is "200" or "201" ? int.Parse(status, CultureInfo.InvariantCulture) : 204,
            fields.GetValueOrDefault("success_action_redirect") ?? fields.GetValueOrDefault("redirect"));
    }

    private async Task<Core.Identity.Caller> AuthenticateAsync(Dictionary<string, string> fields, string policy, CancellationToken cancellationToken)
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
