namespace Cloudkeep.Services.S3;

/// <summary>The account root user's MFA, which S3 MFA delete asks for; IAM holds the devices.</summary>
public interface IRootMfaCheck
{
    /// <summary>Whether the code is fresh for an enabled device of the account's root user; an accepted code cannot be used again.</summary>
    Task<bool> ConsumeAsync(string accountId, string serialNumber, string code, CancellationToken cancellationToken);
}
