using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Cloudkeep.Backup;

/// <summary>
/// The multipart/form-data body of a browser POST upload, written as it is sent: the policy's fields, then the
/// file part (S3 reads the fields before the file and ignores any after it), whose bytes come from
/// the file writer as they are produced. Its length is unknown, so it goes chunked (AWS requires Content-Length
/// for PUTs only, RESTCommonRequestHeaders; a POST may be chunked, as MinIO's PR 21518 reports S3 accepting); if
/// the file writer fails, the request is aborted before its closing boundary and S3 stores nothing.
/// </summary>
internal sealed class FormUploadContent : HttpContent
{
    private readonly PresignedPost _post;
    private readonly string _fileName;
    private readonly Func<Stream, CancellationToken, Task> _writeFile;
    private readonly string _boundary = "cloudkeep-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public FormUploadContent(PresignedPost post, string fileName, Func<Stream, CancellationToken, Task> writeFile)
    {
        _post = post;
        _fileName = fileName;
        _writeFile = writeFile;
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={_boundary}");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        foreach (var (name, value) in _post.Fields)
        {
            head.Append("--").Append(_boundary).Append("\r\n")
                .Append("Content-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n")
                .Append(value).Append("\r\n");
        }

        head.Append("--").Append(_boundary).Append("\r\n")
            .Append("Content-Disposition: form-data; name=\"file\"; filename=\"").Append(_fileName.Replace("\"", "", StringComparison.Ordinal)).Append("\"\r\n")
            .Append("Content-Type: application/octet-stream\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
        await _writeFile(stream, cancellationToken);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{_boundary}--\r\n"), cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
