namespace Cloudkeep.Services.Iam;

/// <summary>IAM's statusType values.</summary>
public static class AccessKeyStatus
{
    public const string Active = "Active";
    public const string Inactive = "Inactive";
}
