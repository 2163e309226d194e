using System.Globalization;
using System.Security.Cryptography;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.SigV2;
using Cloudkeep.Protocol.SigV4;
using Cloudkeep.Server.Hosting;
using Cloudkeep.Services.Iam;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// Step 2: establishes the caller from SigV4 (Authorization header or presigned query), or leaves
/// it anonymous where AWS allows that (S3 only). The body comes out of this step verified: S3
/// bodies wrapped to check their hash or chunk signatures as they stream, other bodies read and
/// hashed into the signature.
/// </summary>
internal sealed class AuthenticationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly CredentialResolver _credentials;
    private readonly SigV4Verifier _verifier;
    private readonly TimeProvider _time;
    private readonly CloudkeepOptions _options;
    private readonly S3PostUpload _post;

    public AuthenticationMiddleware(RequestDelegate next, CredentialResolver credentials, SigV4Verifier verifier, TimeProvider time, CloudkeepOptions options, S3PostUpload post)
    {
        _next = next;
        _post = post;
        _credentials = credentials;
        _verifier = verifier;
        _time = time;
        _options = options;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        await AuthenticateAsync(context, state);

        // A browser upload carries its signature in the form, as a signed policy: what it says
        // establishes the caller, after any signature of the request itself.
        if (state.IsS3 && PostUploadBucket(context.Request, state) is { } bucket)
        {
            await _post.AuthenticateAsync(context, state, bucket);
        }

        await _next(context);
    }

    private static string? PostUploadBucket(HttpRequest request, RequestState state)
    {
        // Only a form POST pays for decoding its path here; the decode step decodes it again.
        if (!HttpMethods.IsPost(request.Method) || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        var path = DecodeMiddleware.DecodedPath(state.Signable);
        if (state.HostBucket is { } bucket)
        {
            path = "/" + bucket + (path.StartsWith('/') ? path : "/" + path);
        }

        return S3PostForm.IsPostUpload(request, path) ? DecodeMiddleware.BucketOf(path) : null;
    }

    private async Task AuthenticateAsync(HttpContext context, RequestState state)
    {
        var request = context.Request;
        var s3 = state.IsS3;
        var signable = state.Signable;

        SigV4Signature? signature = null;
        if (SigV4Parser.HasHeaderAuthentication(signable))
        {
            signature = SigV4Parser.ParseHeader(signable, s3);
        }
        else if (SigV4Parser.HasQueryAuthentication(signable))
        {
            signature = SigV4Parser.ParsePresigned(signable, s3);
        }

        if (signature is null && s3 && signable.Query is var v2Query && SigV2Presigned.IsPresent(v2Query))
        {
            await AuthenticateSigV2Async(context, state, signable, v2Query);
            return;
        }

        if (signature is null)
        {
            if (IsSnsLink(state))
            {
                // Followed from a message: the operation itself decides what an unsigned call may do.
                return;
            }

            if (!s3)
            {
                throw CommonErrors.MissingAuthenticationToken.ToException();
            }

            state.BodyStream = request.Body;
            return;
        }

        SigV4Verifier.CheckTime(signature, _time.GetUtcNow(), s3);
        var credential = await _credentials.ResolveAsync(signature.Credential.AccessKeyId, signature.SecurityToken, context.RequestAborted);

        var payloadHash = s3
            ? S3PayloadHash(signature)
            : await BufferedPayloadHashAsync(state, request, signature, context.RequestAborted);

        var result = _verifier.Verify(signable, signature, credential.SecretAccessKey, payloadHash, s3Style: s3);
        if (!result.Matches)
        {
            var error = CommonErrors.SignatureDoesNotMatch.ToException();
            if (s3)
            {
                // S3 echoes what it signed so a client can see where its canonical request differs.
                error = new AwsException(error.Error, error.Message)
                {
                    Fields =
                    [
                        new("AWSAccessKeyId", signature.Credential.AccessKeyId),
                        new("StringToSign", result.StringToSign ?? ""),
                        new("SignatureProvided", signature.Signature),
                        new("CanonicalRequest", result.CanonicalRequest ?? ""),
                    ],
                };
            }

            throw error;
        }

        state.Signature = signature;
        state.Caller = credential.Caller;
        if (credential.Caller.Session is null)
        {
            await _credentials.NoteUseAsync(signature.Credential.AccessKeyId, signature.Credential.Service, signature.Credential.Region, context.RequestAborted);
        }

        state.Region = signature.Credential.Region;
        if (s3)
        {
            state.BodyStream = WrapS3Body(request, signature, payloadHash, result.SigningKey);
        }
    }

    /// <summary>A legacy signature-version-2 presigned URL (what `aws s3 presign` of the AWS CLI v1 makes).</summary>
    private async Task AuthenticateSigV2Async(HttpContext context, RequestState state, HttpSignableRequest signable, IReadOnlyDictionary<string, string> query)
    {
        var parameters = SigV2Presigned.Parse(query);
        if (_time.GetUtcNow().ToUnixTimeSeconds() > parameters.Expires)
        {
            throw CommonErrors.AccessDenied.ToException("Request has expired");
        }

        var credential = await _credentials.ResolveAsync(parameters.AccessKeyId, parameters.SecurityToken, context.RequestAborted);
        var request = context.Request;
        var path = state.HostBucket is { } bucket ? "/" + bucket + signable.RawPath : signable.RawPath;
        // A signer that moved x-amz-* headers into the query (botocore's SigV2 presigner does) signed them
        // as headers: they are part of the string to sign, as headers sent would be.
        var amzHeaders = request.Headers
            .Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))
            .Concat(query.Where(p => p.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase) && !request.Headers.ContainsKey(p.Key)));
        var stringToSign = SigV2Presigned.StringToSign(request.Method, request.Headers["Content-MD5"].ToString(), request.Headers.ContentType.ToString(), parameters.Expires, amzHeaders, path, query);
        if (!SigV2Presigned.Verify(credential.SecretAccessKey, stringToSign, parameters.Signature))
        {
            throw new AwsException(CommonErrors.SignatureDoesNotMatch, CommonErrors.SignatureDoesNotMatch.DefaultMessage)
            {
                Fields = [new("AWSAccessKeyId", parameters.AccessKeyId), new("StringToSign", stringToSign), new("SignatureProvided", parameters.Signature)],
            };
        }

        state.Caller = credential.Caller;
        state.BodyStream = request.Body;
        state.QueryAuthenticated = true;
        state.SignedWithSigV2 = true;
    }

    private static string S3PayloadHash(SigV4Signature signature)
    {
        var declared = signature.DeclaredPayloadHash;
        if (string.IsNullOrEmpty(declared))
        {
            if (signature.Presigned)
            {
                return SigV4Constants.UnsignedPayload;
            }

            throw S3AuthErrors.InvalidRequest.ToException("Missing required header for this request: x-amz-content-sha256");
        }

        if (declared is SigV4Constants.UnsignedPayload or SigV4Constants.StreamingPayload or SigV4Constants.StreamingPayloadTrailer or SigV4Constants.StreamingUnsignedPayloadTrailer)
        {
            return declared;
        }

        if (declared.Length == 64 && declared.All(char.IsAsciiHexDigit))
        {
            return declared;
        }

        throw S3AuthErrors.InvalidArgument.ToException("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
    }

    private async Task<string> BufferedPayloadHashAsync(RequestState state, HttpRequest request, SigV4Signature signature, CancellationToken cancellationToken)
    {
        state.BufferedBody ??= await BodyReader.ReadBoundedAsync(request, _options.MaxBufferedBodyBytes, cancellationToken);
        // Query and JSON services sign the body's hash unless the client said otherwise in the header.
        if (request.Headers["x-amz-content-sha256"] == SigV4Constants.UnsignedPayload)
        {
            return SigV4Constants.UnsignedPayload;
        }

        return Convert.ToHexStringLower(SHA256.HashData(state.BufferedBody));
    }

    private static Stream WrapS3Body(HttpRequest request, SigV4Signature signature, string payloadHash, SigningKey signingKey)
    {
        var body = request.Body;
        long? decodedLength = request.Headers.TryGetValue("x-amz-decoded-content-length", out var decoded)
            && long.TryParse(decoded.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var signing = new ChunkSigningContext(signingKey, signature.AmzDate, signature.Credential.Scope, signature.Signature);
        return payloadHash switch
        {
            SigV4Constants.UnsignedPayload => body,
            SigV4Constants.StreamingPayload => new AwsChunkedStream(body, signing, expectTrailer: false, decodedLength),
            SigV4Constants.StreamingPayloadTrailer => new AwsChunkedStream(body, signing, expectTrailer: true, decodedLength),
            SigV4Constants.StreamingUnsignedPayloadTrailer => new AwsChunkedStream(body, signing: null, expectTrailer: true, decodedLength),
            SigV4Constants.EmptySha256 when request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding") => Stream.Null,
            _ => new Sha256VerifyingStream(body, payloadHash),
        };
    }

    /// <summary>
    /// The links SNS puts in its messages (SubscribeURL, UnsubscribeURL) are followed unsigned by
    /// whoever receives them: a GET of ConfirmSubscription or Unsubscribe on the SNS endpoint.
    /// </summary>
    private static bool IsSnsLink(RequestState state) =>
        state.Service?.SigningName == "sns"
        && (state.Signable.Query.TryGetValue("Action", out var action) || (state.FormParameters?.TryGetValue("Action", out action) ?? false))
        && action is "ConfirmSubscription" or "Unsubscribe";
}
