using System.Buffers;
using System.Text;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.SigV4;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>Reads the small bodies of query and JSON requests, never more than the configured limit.</summary>
internal static class BodyReader
{
    public static Task<byte[]> ReadBoundedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw CommonErrors.RequestEntityTooLarge.ToException($"Request body is {declared} bytes; the limit is {limit}.");
        }

        return ReadBoundedAsync(request.Body, limit, CommonErrors.RequestEntityTooLarge, cancellationToken);
    }

    public static async Task<byte[]> ReadBoundedAsync(Stream body, long limit, AwsError tooLarge, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw tooLarge.ToException($"Request body exceeds the limit of {limit} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>application/x-www-form-urlencoded: '+' is a space here, unlike in SigV4 query strings.</summary>
    public static Dictionary<string, string> ParseForm(byte[] body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw CommonErrors.MalformedQueryString.ToException("The request body is not valid UTF-8.");
        }

        foreach (var (name, value) in QueryParameters.ParsePairs(text, plusIsSpace: true))
        {
            result.TryAdd(name, value);
        }

        return result;
    }
}
