using Cloudkeep.Services.S3;

namespace Cloudkeep.Services.Iam;

/// <summary>Root MFA codes for S3, checked and consumed like every other TOTP here (<see cref="MfaCodes"/>).</summary>
public sealed class RootMfaCheck(IamContext iam) : IRootMfaCheck
{
    public Task<bool> ConsumeAsync(string accountId, string serialNumber, string code, CancellationToken cancellationToken) =>
        new MfaCodes(iam).ConsumeRootAsync(serialNumber, accountId, code, cancellationToken);
}
