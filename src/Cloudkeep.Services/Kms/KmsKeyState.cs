namespace Cloudkeep.Services.Kms;

/// <summary>The KeyState values Cloudkeep's keys take (the KeyState enum of the KMS model).</summary>
internal static class KmsKeyState
{
    public const string Enabled = "Enabled";
    public const string Disabled = "Disabled";
    public const string PendingDeletion = "PendingDeletion";
}
