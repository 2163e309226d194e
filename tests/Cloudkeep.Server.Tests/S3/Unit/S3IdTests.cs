using Cloudkeep.Services.S3;

namespace Cloudkeep.Server.Tests.S3.Unit;

/// <summary>
/// Ids S3 hands out that users pass back on a command line (`--version-id`, `--upload-id`): one
/// starting with '-' is read by the AWS CLI as an option, and the call fails with "expected one
/// argument". Base64url starts with '-' or '_' once in 32 draws, so 10,000 draws find it.
/// </summary>
public sealed class S3IdTests
{
    [Fact]
    public void VersionIds_NeverStartWithADashOrUnderscore_AndAreWellFormed()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var id = ObjectVersions.NewId();
            Assert.True(char.IsAsciiLetterOrDigit(id[0]), id);
            Assert.True(ObjectVersions.IsWellFormed(id), id);
        }
    }

    [Fact]
    public void UploadIds_NeverStartWithADashOrUnderscore()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var id = Multipart.NewUploadId();
            Assert.True(char.IsAsciiLetterOrDigit(id[0]), id);
            Assert.Equal(64, id.Length);
        }
    }
}
