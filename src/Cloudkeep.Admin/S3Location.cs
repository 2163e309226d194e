namespace Cloudkeep.Admin;

/// <summary>s3://bucket/prefix-or-key, as the AWS CLI writes it.</summary>
public static class S3Location
{
    public static bool TryParse(string value, out string bucket, out string key)
    {
        ArgumentNullException.ThrowIfNull(value);
        bucket = key = "";
        if (!value.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = value["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        bucket = slash < 0 ? rest : rest[..slash];
        key = slash < 0 ? "" : rest[(slash + 1)..];
        return bucket.Length > 0 ? true : throw new ArchiveException($"{value} names no bucket");
    }
}
