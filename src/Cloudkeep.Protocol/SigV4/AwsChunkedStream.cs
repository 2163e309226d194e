using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.IO;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Decodes an aws-chunked body while it streams ("Signature Calculations for the Authorization
/// Header: Transferring Payload in Multiple Chunks", Amazon S3 API reference). Each chunk's
/// signature chains from the previous one; the trailer (checksums) is signed last. Data is handed
/// on as it arrives and a failed signature surfaces as an exception before the end of the stream,
/// so a consumer that commits only after reading to the end never keeps an unverified body.
/// </summary>
public sealed class AwsChunkedStream : ReadOnlyForwardStream, IStreamTrailers
{
    private const int MaxLineLength = 4096;
    private const int MaxTrailerLines = 16;
    private const int BufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly ChunkSigningContext? _signing;
    private readonly bool _expectTrailer;
    private readonly long? _decodedLength;
    private readonly byte[] _buffer;
    private readonly Dictionary<string, string> _trailers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyValuePair<string, string>> _trailerOrder = [];
    private IncrementalHash? _chunkHash;
    private int _start;
    private int _end;
    private long _chunkRemaining;
    private string? _chunkSignature;
    private string? _previousSignature;
    private long _total;
    private State _state = State.Header;
    private bool _disposed;

    public AwsChunkedStream(Stream inner, ChunkSigningContext? signing, bool expectTrailer, long? decodedLength)
    {
        _inner = inner;
        _signing = signing;
        _expectTrailer = expectTrailer;
        _decodedLength = decodedLength;
        _previousSignature = signing?.SeedSignature;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        if (signing is not null)
        {
            _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    private enum State
    {
        Header,
        Data,
        DataEnd,
        Done,
    }

    /// <summary>Trailing headers (x-amz-checksum-*), available once the stream has been read to its end.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public long DecodedBytes => _total;

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            switch (_state)
            {
                case State.Done:
                    return 0;
                case State.Header:
                    await ReadChunkHeaderAsync(cancellationToken);
                    continue;
                case State.DataEnd:
                    await ExpectCrlfAsync(cancellationToken);
                    VerifyChunkSignature();
                    _state = State.Header;
                    continue;
                case State.Data:
                    if (buffer.Length == 0)
                    {
                        return 0;
                    }

                    if (_start == _end && !await FillAsync(cancellationToken))
                    {
                        throw S3AuthErrors.IncompleteBody.ToException();
                    }

                    var n = (int)Math.Min(Math.Min(buffer.Length, _end - _start), _chunkRemaining);
                    var slice = _buffer.AsSpan(_start, n);
                    slice.CopyTo(buffer.Span);
                    _chunkHash?.AppendData(slice);
                    _start += n;
                    _chunkRemaining -= n;
                    _total += n;
                    if (_chunkRemaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return n;
                default:
                    throw new InvalidOperationException();
            }
        }
    }

    private async ValueTask ReadChunkHeaderAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken) ?? throw S3AuthErrors.IncompleteBody.ToException();
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 16 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
        {
            throw S3AuthErrors.InvalidArgument.ToException("The aws-chunked chunk size is malformed.");
        }

        _chunkSignature = null;
        if (semicolon >= 0)
        {
            foreach (var extension in line[(semicolon + 1)..].Split(';'))
            {
                if (extension.StartsWith("chunk-signature=", StringComparison.Ordinal))
                {
                    _chunkSignature = extension["chunk-signature=".Length..];
                }
            }
        }

        if (_signing is not null && (_chunkSignature is null || _chunkSignature.Length != 64))
        {
            throw CommonErrors.SignatureDoesNotMatch.ToException("The chunk is missing its chunk-signature.");
        }

        if (size > 0)
        {
            _chunkRemaining = size;
            _state = State.Data;
            return;
        }

        // The final, empty chunk: it is signed like any other, then come the trailers.
        VerifyChunkSignature();
        if (_expectTrailer)
        {
            await ReadTrailersAsync(cancellationToken);
        }
        else
        {
            var last = await ReadLineAsync(cancellationToken);
            if (last is { Length: > 0 })
            {
                throw S3AuthErrors.InvalidArgument.ToException("Unexpected data after the final aws-chunked chunk.");
            }
        }

        if (_decodedLength is { } expected && expected != _total)
        {
            throw S3AuthErrors.IncompleteBody.ToException();
        }

        _state = State.Done;
    }

    private async ValueTask ReadTrailersAsync(CancellationToken cancellationToken)
    {
        string? trailerSignature = null;
        for (var i = 0; ; i++)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(line))
            {
                break;
            }

            if (i >= MaxTrailerLines)
            {
                throw S3AuthErrors.InvalidArgument.ToException("Too many trailing headers.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw S3AuthErrors.InvalidArgument.ToException("A trailing header is malformed.");
            }

            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "x-amz-trailer-signature")
            {
                trailerSignature = value;
                continue;
            }

            _trailers[name] = value;
            _trailerOrder.Add(new(name, value));
        }

        if (_signing is null)
        {
            return;
        }

        if (trailerSignature is null)
        {
            throw CommonErrors.SignatureDoesNotMatch.ToException("The trailer is missing its x-amz-trailer-signature.");
        }

        var canonical = new StringBuilder();
        foreach (var (name, value) in _trailerOrder)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        var stringToSign = string.Concat(
            SigV4Constants.TrailerAlgorithm, "\n",
            _signing.AmzDate, "\n",
            _signing.Scope, "\n",
            _previousSignature, "\n",
            SigV4Verifier.HexSha256(canonical.ToString()));
        if (!SigV4Verifier.SignatureMatches(_signing.SigningKey, stringToSign, trailerSignature.ToLowerInvariant()))
        {
            throw CommonErrors.SignatureDoesNotMatch.ToException("The trailer signature does not match.");
        }
    }

    private void VerifyChunkSignature()
    {
        if (_signing is null || _chunkHash is null)
        {
            return;
        }

        var dataHash = Convert.ToHexStringLower(_chunkHash.GetHashAndReset());
        var stringToSign = string.Concat(
            SigV4Constants.ChunkAlgorithm, "\n",
            _signing.AmzDate, "\n",
            _signing.Scope, "\n",
            _previousSignature, "\n",
            SigV4Constants.EmptySha256, "\n",
            dataHash);
        var claimed = _chunkSignature!.ToLowerInvariant();
        if (!SigV4Verifier.SignatureMatches(_signing.SigningKey, stringToSign, claimed))
        {
            throw CommonErrors.SignatureDoesNotMatch.ToException("The chunk signature does not match.");
        }

        _previousSignature = claimed;
    }

    private async ValueTask ExpectCrlfAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        if (line is null || line.Length != 0)
        {
            throw S3AuthErrors.IncompleteBody.ToException();
        }
    }

    /// <summary>Reads up to CRLF (a bare LF is tolerated); null at end of stream before any byte.</summary>
    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var sawAny = false;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return sawAny ? line.ToString() : null;
            }

            sawAny = true;
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span : span[..newline];
            if (line.Length + take.Length > MaxLineLength)
            {
                throw S3AuthErrors.InvalidArgument.ToException("An aws-chunked header line is too long.");
            }

            line.Append(Encoding.ASCII.GetString(take));
            if (newline < 0)
            {
                _start = _end;
                continue;
            }

            _start += newline + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            return line.ToString();
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _inner.ReadAsync(_buffer.AsMemory(), cancellationToken);
        return _end > 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _chunkHash?.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        base.Dispose(disposing);
    }
}
