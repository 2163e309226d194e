namespace Cloudkeep.Services.S3;

/// <summary>S3's resource ARNs have neither region nor account: arn:aws:s3:::bucket and arn:aws:s3:::bucket/key.</summary>
public static class S3Arns
{
    public static string ForBucket(string bucket) => "arn:aws:s3:::" + bucket;

    public static string ForObject(string bucket, string key) => "arn:aws:s3:::" + bucket + "/" + key;
}
