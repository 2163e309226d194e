using System.Security.Cryptography;
using Cloudkeep.Core.Errors;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>Multipart upload limits and the lookups its operations share ("Amazon S3 multipart upload limits").</summary>
internal static class Multipart
{
    public const int MaxParts = 10_000;
    public const long MinPartBytes = 5L * 1024 * 1024;
    public const long MaxPartBytes = 5L * 1024 * 1024 * 1024;

    public static async Task<S3UploadRecord> RequireUploadAsync(S3Context s3, string bucket, string key, string? uploadId, CancellationToken cancellationToken)
    {
        var upload = uploadId is null ? null : await s3.Repository.GetUploadAsync(uploadId, cancellationToken);
        if (upload is null || upload.Bucket != bucket || upload.Key != key)
        {
            throw new AwsException(S3Errors.NoSuchUpload, S3Errors.NoSuchUpload.DefaultMessage) { Fields = [new("UploadId", uploadId ?? "")] };
        }

        return upload;
    }

    public static int PartNumber(long? value) =>
        value is >= 1 and <= MaxParts ? (int)value.Value : throw S3Errors.InvalidArgument.ToException("Part number must be an integer between 1 and 10000, inclusive");

    public static string NewUploadId()
    {
        // Never starting with '-' or '_': the AWS CLI would read "--upload-id -..." as a missing argument.
        string id;
        do
        {
            id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        }
        while (!char.IsAsciiLetterOrDigit(id[0]));

        return id;
    }

    /// <summary>The multipart ETag: the MD5 of the parts' binary MD5s, then "-" and the part count.</summary>
    public static string ETag(IReadOnlyList<string> partETags)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var etag in partETags)
        {
            md5.AppendData(Convert.FromHexString(etag.Trim('"')));
        }

        return "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + partETags.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";
    }
}
