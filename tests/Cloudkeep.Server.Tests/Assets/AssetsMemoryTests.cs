using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;

namespace Cloudkeep.Server.Tests.Assets;

/// <summary>
/// A test that counts every byte the process allocates runs with no other test beside it: a neighbour's
/// allocations would be counted as the router's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingTests
{
    public const string Name = "allocation counting";
}

/// <summary>A large document through the assets router streams: the process allocates a small fraction of it.</summary>
[Collection(AllocationCountingTests.Name)]
public sealed class AssetsMemoryTests(AssetsFixture fixture) : IClassFixture<AssetsFixture>
{
    private string Assets => fixture.Assets;

    [Fact]
    public async Task Get_LargeObject_StreamsWithFlatMemory()
    {
        const int size = 64 * 1024 * 1024;
        using (var s3 = S3Clients.Root(fixture.Server))
        {
            await using var content = new RepeatingStream(size);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = fixture.Bucket("documents"), Key = "fw/documents/large.bin", InputStream = content, CannedACL = S3CannedACL.PublicRead, UseChunkEncoding = false });
        }

        using var http = AssetsFixture.Http();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await http.GetAsync(new Uri(Assets + "/fw/documents/large.bin"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(size, total);

        // The whole process (server and client) allocated a small fraction of the object: nothing buffered it.
        Assert.True(allocated < size / 8, $"allocated {allocated:N0} bytes to stream {size:N0}");
    }

    /// <summary>A readable stream of <paramref name="length"/> bytes that never holds more than one buffer.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
