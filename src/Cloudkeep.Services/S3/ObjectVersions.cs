using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Version ids: made here (32 URL-safe characters from 192 random bits, so they are unguessable and
/// never collide), checked when a request names one, and the headers and errors S3 answers for
/// delete markers.
/// </summary>
internal static class ObjectVersions
{
    public const int IdLength = 32;

    /// <summary>
    /// 24 random bytes, base64url: never starting with '-' or '_', since a command-line argument
    /// starting with '-' is read as an option (the AWS CLI then says "--version-id: expected one
    /// argument", as it did for one id in 32).
    /// </summary>
    public static string NewId()
    {
        Span<byte> random = stackalloc byte[24];
        string id;
        do
        {
            RandomNumberGenerator.Fill(random);
            id = Base64Url.EncodeToString(random);
        }
        while (!char.IsAsciiLetterOrDigit(id[0]));

        return id;
    }

    /// <summary>The id a write gets: a new one where versioning is enabled, else the null version.</summary>
    public static string ForWrite(S3Versioning versioning) =>
        versioning == S3Versioning.Enabled ? NewId() : S3ObjectRecord.NullVersion;

    /// <summary>The versionId the request names, or null; InvalidArgument for one this server can never have made.</summary>
    public static string? Requested(JsonObject input, string member = "VersionId")
    {
        if (S3Input.String(input, member) is not { } id)
        {
            return null;
        }

        if (id.Length == 0)
        {
            throw Invalid(S3Errors.InvalidArgument.ToException("Version id cannot be the empty string"), id);
        }

        return IsWellFormed(id) ? id : throw Invalid(S3Errors.InvalidArgument.ToException("Invalid version id specified"), id);
    }

    public static bool IsWellFormed(string id) =>
        id == S3ObjectRecord.NullVersion || (id.Length == IdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    /// <summary>Whether answers name the version (x-amz-version-id): on a bucket that has had versioning, and for any non-null version.</summary>
    public static bool Shown(BucketState bucket, S3ObjectRecord record) =>
        bucket.Config.Versioning != S3Versioning.Unversioned || record.VersionId != S3ObjectRecord.NullVersion;

    /// <summary>Adds x-amz-version-id to an answer about <paramref name="record"/> where S3 would name it.</summary>
    public static void WriteTo(JsonObject output, BucketState bucket, S3ObjectRecord record)
    {
        if (Shown(bucket, record))
        {
            output["VersionId"] = record.VersionId;
        }
    }

    /// <summary>GET/HEAD of a key whose current version is a delete marker: NoSuchKey, saying so in headers.</summary>
    public static AwsException DeletedKey(S3ObjectRecord marker) =>
        new(S3Errors.NoSuchKey, S3Errors.NoSuchKey.DefaultMessage)
        {
            Fields = [new("Key", marker.Key)],
            Headers = MarkerHeaders(marker),
        };

    /// <summary>GET/HEAD of a delete marker by its version id: 405, as S3 answers.</summary>
    public static AwsException MarkerByVersion(S3ObjectRecord marker, string method) =>
        new(S3Errors.MethodNotAllowed, S3Errors.MethodNotAllowed.DefaultMessage)
        {
            Fields = [new("Method", method), new("ResourceType", "DeleteMarker")],
            Headers = [.. MarkerHeaders(marker), new("Allow", "DELETE")],
        };

    public static AwsException NoSuchVersion(string key, string versionId) =>
        new(S3Errors.NoSuchVersion, S3Errors.NoSuchVersion.DefaultMessage) { Fields = [new("Key", key), new("VersionId", versionId)] };

    private static KeyValuePair<string, string>[] MarkerHeaders(S3ObjectRecord marker) =>
        [new("x-amz-delete-marker", "true"), new("x-amz-version-id", marker.VersionId)];

    private static AwsException Invalid(AwsException error, string id) =>
        new(error.Error, error.Message) { Fields = [new("ArgumentName", "versionId"), new("ArgumentValue", id)] };
}
