using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Alerts;

/// <summary>The facts alert predicates ask for, read from the IAM store.</summary>
public sealed class IamAlertFacts(IamStore iam) : IAlertFacts
{
    public async ValueTask<bool> UserHasMfaAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        (await iam.ListAsync<IamMfaDevice>(accountId, IamKinds.MfaDevice, cancellationToken))
            .Any(d => string.Equals(d.UserName, userName, StringComparison.OrdinalIgnoreCase));

    public async ValueTask<string?> ManagedPolicyDocumentAsync(string policyArn, CancellationToken cancellationToken) =>
        (await iam.GetManagedPolicyAsync(policyArn, cancellationToken))?.DefaultVersion.Document;
}
