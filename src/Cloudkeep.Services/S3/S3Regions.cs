namespace Cloudkeep.Services.S3;

/// <summary>The regions a bucket may be created in, by LocationConstraint; each is its own storage location on disk.</summary>
public static class S3Regions
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
        "ap-southeast-3", "ap-southeast-4", "ap-east-1", "me-south-1", "me-central-1", "af-south-1", "il-central-1",
    };

    /// <summary>The region a LocationConstraint names; the legacy "EU" is eu-west-1 and an empty one us-east-1.</summary>
    public static string? FromLocationConstraint(string? constraint) => constraint switch
    {
        null or "" => "us-east-1",
        "EU" => "eu-west-1",
        _ when Known.Contains(constraint) => constraint,
        _ => null,
    };
}
