using System.Text;
using Cloudkeep.Services.S3;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// A browser upload's multipart/form-data body: the fields before the file, read within bounds
/// (fields after the file are ignored, as S3 does), and the file part, left streaming.
/// </summary>
internal sealed record S3PostForm(Dictionary<string, string> Fields, Stream File, string FileName, string? FileContentType)
{
    private const int MaxFieldBytes = 20 * 1024;
    private const int MaxFieldsBytes = 256 * 1024;

    /// <summary>RFC 2046's limit on a multipart boundary.</summary>
    private const int MaxBoundaryLength = 70;

    /// <summary>A POST of a form to a bucket itself (its path decoded, the bucket first).</summary>
    public static bool IsPostUpload(HttpRequest request, string path) =>
        HttpMethods.IsPost(request.Method)
        && request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true
        && path.Trim('/').Length > 0 && !path.Trim('/').Contains('/', StringComparison.Ordinal)
        && request.QueryString.Value is null or "";

    public static async Task<S3PostForm> ReadAsync(HttpContext context)
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

        return new S3PostForm(fields, file, fileName!, fileContentType);
    }
}
