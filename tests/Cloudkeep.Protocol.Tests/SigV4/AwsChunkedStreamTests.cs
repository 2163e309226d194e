using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Protocol.Tests.SigV4;

/// <summary>
/// The aws-chunked decoder against AWS's documented example ("Example: PUT Object", sigv4-streaming
/// and sigv4-streaming-trailers in the Amazon S3 API reference): 66560 bytes of 'a' in 64 KiB chunks,
/// secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, 20130524, us-east-1, s3.
/// </summary>
public class AwsChunkedStreamTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20130524T000000Z";
    private const string Scope = "20130524/us-east-1/s3/aws4_request";
    private const string Seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private const string TrailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";

    private static readonly SigningKey SigningKey = new(SigningKeyCache.Derive(Secret, "20130524", "us-east-1", "s3"));

    internal static byte[] ExampleBody() =>
        Frame(
            ("10000", "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648", 65536),
            ("400", "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497", 1024),
            ("0", "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9", 0)).Concat("\r\n"u8.ToArray()).ToArray();

    private static byte[] TrailerExampleBody(string trailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435", string checksum = "sOO8/Q==") =>
        Frame(
            ("10000", "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2", 65536),
            ("400", "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7", 1024),
            ("0", "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992", 0))
        .Concat(Encoding.ASCII.GetBytes($"x-amz-checksum-crc32c:{checksum}\r\nx-amz-trailer-signature:{trailerSignature}\r\n\r\n"))
        .ToArray();

    private static byte[] Frame(params (string Size, string Signature, int Length)[] chunks)
    {
        using var body = new MemoryStream();
        foreach (var (size, signature, length) in chunks)
        {
            body.Write(Encoding.ASCII.GetBytes($"{size};chunk-signature={signature}\r\n"));
            if (length > 0)
            {
                body.Write(Enumerable.Repeat((byte)'a', length).ToArray());
                body.Write("\r\n"u8);
            }
        }

        return body.ToArray();
    }

    private static async Task<byte[]> DecodeAsync(Stream source, ChunkSigningContext? signing, bool trailer, long? decodedLength = 66560, int readSize = 8192)
    {
        await using var chunked = new AwsChunkedStream(source, signing, trailer, decodedLength);
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        int n;
        while ((n = await chunked.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    [Fact]
    public void ExampleBody_HasDocumentedContentLength()
    {
        Assert.Equal(66824, ExampleBody().Length);
    }

    [Fact]
    public async Task Decode_DocumentedExample_YieldsPayload()
    {
        var data = await DecodeAsync(new MemoryStream(ExampleBody()), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false);
        Assert.Equal(66560, data.Length);
        Assert.All(data, b => Assert.Equal((byte)'a', b));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(65536)]
    public async Task Decode_ExampleDeliveredInPiecesOfAnySize_YieldsPayload(int pieceSize)
    {
        var data = await DecodeAsync(new TricklingStream(ExampleBody(), pieceSize), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false, readSize: 333);
        Assert.Equal(SHA256.HashData(Enumerable.Repeat((byte)'a', 66560).ToArray()), SHA256.HashData(data));
    }

    [Fact]
    public async Task Decode_EverySplitPointOfTheHeaderRegion_YieldsPayload()
    {
        // Split the body in two at every point of the framing around the final chunk.
        var body = ExampleBody();
        for (var split = body.Length - 200; split < body.Length; split++)
        {
            var data = await DecodeAsync(new SplitStream(body, split), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false);
            Assert.Equal(66560, data.Length);
        }
    }

    [Fact]
    public async Task Decode_TamperedByte_FailsWithSignatureDoesNotMatch()
    {
        var body = ExampleBody();
        body[100] = (byte)'b';
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(body), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task Decode_WrongSeed_FailsWithSignatureDoesNotMatch()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(ExampleBody()), new ChunkSigningContext(SigningKey, AmzDate, Scope, TrailerSeed), trailer: false));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task Decode_TruncatedBody_FailsWithIncompleteBody()
    {
        var body = ExampleBody()[..40000];
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(body), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false));
        Assert.Equal("IncompleteBody", error.Code);
    }

    [Fact]
    public async Task Decode_DecodedLengthDiffers_FailsWithIncompleteBody()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(ExampleBody()), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false, decodedLength: 66561));
        Assert.Equal("IncompleteBody", error.Code);
    }

    [Fact]
    public async Task Decode_TrailerExample_VerifiesTrailerAndExposesChecksum()
    {
        await using var chunked = new AwsChunkedStream(new MemoryStream(TrailerExampleBody()), new ChunkSigningContext(SigningKey, AmzDate, Scope, TrailerSeed), expectTrailer: true, decodedLength: 66560);
        using var output = new MemoryStream();
        await chunked.CopyToAsync(output);
        Assert.Equal(66560, output.Length);
        Assert.Equal("sOO8/Q==", chunked.Trailers["x-amz-checksum-crc32c"]);
    }

    [Fact]
    public async Task Decode_TamperedTrailerValue_FailsWithSignatureDoesNotMatch()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(TrailerExampleBody(checksum: "AAAAAA==")), new ChunkSigningContext(SigningKey, AmzDate, Scope, TrailerSeed), trailer: true));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    [Fact]
    public async Task Decode_UnsignedTrailer_YieldsPayloadAndTrailer()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
        await using var chunked = new AwsChunkedStream(new MemoryStream(body), signing: null, expectTrailer: true, decodedLength: 11);
        using var reader = new StreamReader(chunked);
        Assert.Equal("hello world", await reader.ReadToEndAsync());
        Assert.Equal("DUoRhQ==", chunked.Trailers["x-amz-checksum-crc32"]);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n", "InvalidArgument")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n", "InvalidArgument")]
    [InlineData("fffffffffffffffff\r\n", "InvalidArgument")]
    [InlineData("5\r\nhelloXX0\r\n\r\n", "IncompleteBody")]
    [InlineData("", "IncompleteBody")]
    public async Task Decode_MalformedFraming_FailsCleanly(string body, string code)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(Encoding.ASCII.GetBytes(body)), null, trailer: false, decodedLength: null));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task Decode_SignedModeWithoutChunkSignature_FailsWithSignatureDoesNotMatch()
    {
        var body = Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\n\r\n");
        var error = await Assert.ThrowsAsync<AwsException>(() => DecodeAsync(new MemoryStream(body), new ChunkSigningContext(SigningKey, AmzDate, Scope, Seed), trailer: false, decodedLength: null));
        Assert.Equal("SignatureDoesNotMatch", error.Code);
    }

    /// <summary>Hands out at most a fixed number of bytes per read, as a slow network would.</summary>
    private sealed class TricklingStream(byte[] data, int pieceSize) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, pieceSize));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceSize)], cancellationToken);
    }

    /// <summary>Delivers the data in exactly two reads, split at a given offset.</summary>
    private sealed class SplitStream(byte[] data, int split) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var limit = Position < split ? (int)Math.Min(buffer.Length, split - Position) : buffer.Length;
            return base.ReadAsync(buffer[..limit], cancellationToken);
        }
    }
}
