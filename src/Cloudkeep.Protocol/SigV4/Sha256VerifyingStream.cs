using System.Security.Cryptography;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.IO;

namespace Cloudkeep.Protocol.SigV4;

/// <summary>
/// Passes a body through while hashing it, and fails at the end of the stream when the SHA-256
/// differs from the x-amz-content-sha256 the request signed (XAmzContentSHA256Mismatch), so the
/// body is checked without ever being buffered whole.
/// </summary>
public sealed class Sha256VerifyingStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly byte[] _expected;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private bool _checked;

    public Sha256VerifyingStream(Stream inner, string expectedHex)
    {
        _inner = inner;
        _expected = Convert.FromHexString(expectedHex);
    }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        var n = await _inner.ReadAsync(buffer, cancellationToken);
        if (n > 0)
        {
            _hash.AppendData(buffer.Span[..n]);
            _position += n;
            return n;
        }

        if (!_checked)
        {
            _checked = true;
            if (!CryptographicOperations.FixedTimeEquals(_hash.GetHashAndReset(), _expected))
            {
                throw S3AuthErrors.XAmzContentSHA256Mismatch.ToException();
            }
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
