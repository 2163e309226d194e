using System.Security.Cryptography;
using Amazon.S3.Model;
using Cloudkeep.Admin;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Blobs;

/// <summary>
/// `cloudkeep admin backup` of an estate whose blobs are on Ceph RGW copies them through the blob store, and
/// `admin restore --blobs s3://...` puts them into a bucket again; without the server's --blobs the backup refuses
/// rather than write an archive missing them.
/// </summary>
[Collection(CephGroup.Name)]
public sealed class EstateBackupOnRgwTests(CephFixture ceph) : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task BackupWithTheServersBlobs_RestoresIntoAnotherPrefix_AndServesTheObject()
    {
        var bucket = await ceph.BucketAsync("estate");
        var data = Path.Combine(_work.Path, "data");
        var archives = Path.Combine(_work.Path, "archives");
        var restored = Path.Combine(_work.Path, "restored");
        var keyFile = Path.Combine(_work.Path, "backup.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        var key = ArchiveKey.FromKeyFile(keyFile);
        var body = RandomNumberGenerator.GetBytes(300_000);
        string archive;
        await using (var server = await TestServer.StartAsync(dataDirectory: data, blobs: ceph.Options(bucket, "live")))
        {
            using var s3 = S3Clients.Root(server);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "kept" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "kept", Key = "report.pdf", InputStream = new MemoryStream(body) });

            var refused = await Assert.ThrowsAsync<ArchiveException>(() => new EstateBackup(new StringWriter(), TimeProvider.System, null)
                .RunAsync(new EstateBackupArguments(data, null, archives, key), CancellationToken.None));
            Assert.Contains("is missing from disk:", refused.Message, StringComparison.Ordinal);

            archive = await new EstateBackup(new StringWriter(), TimeProvider.System, null)
                .RunAsync(new EstateBackupArguments(data, null, archives, key) { Blobs = ceph.Options(bucket, "live") }, CancellationToken.None);
        }

        var output = new StringWriter();
        await new EstateRestore(output, TimeProvider.System, null).RunAsync(
            new EstateRestoreArguments(archive, restored, key) { MasterKeyFile = Path.Combine(data, "master.key"), Blobs = ceph.Options(bucket, "restored") },
            CancellationToken.None);
        Assert.Contains("wrote 1 blobs to s3://", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(restored, "blobs", "us-east-1")));
        Assert.Single(await ceph.KeysAsync(bucket, "restored/"));

        await using var again = await TestServer.StartAsync(dataDirectory: restored, blobs: ceph.Options(bucket, "restored"));
        using var restoredS3 = S3Clients.Root(again);
        using var response = await restoredS3.GetObjectAsync("kept", "report.pdf");
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }
}
