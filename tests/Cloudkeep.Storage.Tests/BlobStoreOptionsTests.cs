using Cloudkeep.Storage.Blobs;
using Cloudkeep.Testing;

namespace Cloudkeep.Storage.Tests;

/// <summary>--blobs and the backend's settings: what is refused before anything starts, and the credentials file's mode (POSIX).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BlobStoreOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string CredentialsFile(string text, UnixFileMode mode)
    {
        var path = Path.Combine(_directory.Path, "blobs.credentials");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Theory]
    [InlineData("disk:")]
    [InlineData("file:/srv/blobs")]
    [InlineData("s3://")]
    [InlineData("s3://Upper-Case")]
    [InlineData("s3://ab")]
    [InlineData("s3://bucket/a//b")]
    public void Create_BadSpec_IsRefusedNamingTheOption(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => new BlobStoreOptions { Spec = spec, AccessKeyId = "k", SecretAccessKey = "s" }.Create(_directory.Path, TimeProvider.System));
        Assert.Contains("--blobs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_S3WithoutCredentials_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new BlobStoreOptions { Spec = "s3://bucket" }.Create(_directory.Path, TimeProvider.System));
        Assert.Contains("CLOUDKEEP_BLOBS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_S3_NamesBucketAndPrefixNeverTheSecret()
    {
        using var store = (S3BlobStore)new BlobStoreOptions { Spec = "s3://cloudkeep-blobs/estate/", Endpoint = "http://127.0.0.1:7480", AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = "the-secret" }
            .Create(_directory.Path, TimeProvider.System);
        Assert.Equal("s3://cloudkeep-blobs/estate/", store.Description);
        Assert.Equal("estate/us-east-1/0123456789abcdef0123456789abcdef", store.KeyOf(new BlobId("us-east-1", "0123456789abcdef0123456789abcdef")));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite)]
    public void CredentialsFile_ReadableOrWritableByOthers_IsRefused(UnixFileMode mode)
    {
        var path = CredentialsFile("[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n", mode);
        var error = Assert.Throws<ArgumentException>(() => BlobStoreOptions.ReadCredentialsFile(path));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\n", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[default]\naws_access_key_id = AKID\naws_secret_access_key = s3cr3t\n")]
    [InlineData("# the node's key\naws_access_key_id=AKID\naws_secret_access_key=s3cr3t\n")]
    [InlineData("[blobs]\naws_access_key_id = AKID\naws_secret_access_key = s3cr3t\n")]
    [InlineData("[other]\naws_access_key_id = X\naws_secret_access_key = Y\n[default]\naws_access_key_id = AKID\naws_secret_access_key = s3cr3t\n")]
    public void CredentialsFile_Mode0600_IsRead(string text)
    {
        var path = CredentialsFile(text, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(("AKID", "s3cr3t"), BlobStoreOptions.ReadCredentialsFile(path));
    }

    [Fact]
    public void CredentialsFile_TwoProfilesNoDefault_IsRefused()
    {
        var path = CredentialsFile("[a]\naws_access_key_id = X\naws_secret_access_key = Y\n[b]\naws_access_key_id = Z\naws_secret_access_key = W\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Throws<ArgumentException>(() => BlobStoreOptions.ReadCredentialsFile(path));
    }
}
