using Cloudkeep.Core.Crypto;
using Cloudkeep.Policy;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Iam;

/// <summary>What IAM's operations share: the stores, the sealing box, the clock and the policy cache.</summary>
public sealed class IamContext
{
    public IamContext(IamStore store, AccessKeyRepository accessKeys, SecretBox secrets, TimeProvider time, PolicyCache policies, CredentialResolver credentials)
    {
        Store = store;
        AccessKeys = accessKeys;
        Secrets = secrets;
        Time = time;
        Policies = policies;
        Credentials = credentials;
    }

    public IamStore Store { get; }

    public AccessKeyRepository AccessKeys { get; }

    public SecretBox Secrets { get; }

    public TimeProvider Time { get; }

    public PolicyCache Policies { get; }

    public CredentialResolver Credentials { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>
    /// Now to the whole second: the date an IAM entity is created or changed with. AWS gives IAM dates to the second,
    /// and access keys are stored to the second, so a date taken once at this precision reads the same in the
    /// Create* answer as in every later Get* and List*.
    /// </summary>
    public DateTimeOffset EntityTime
    {
        get
        {
            var now = Time.GetUtcNow();
            return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>A short, stable fingerprint of a document, to key compiled copies of inline policies.</summary>
    public static string Fingerprint(string document) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(document)), 0, 12);

    /// <summary>Validates a policy document as AWS does for its kind, with every problem reported.</summary>
    public static void Validate(string document, PolicyKind kind)
    {
        var result = PolicyDocument.Parse(document, kind);
        if (result.IsValid)
        {
            return;
        }

        var first = result.Errors[0];
        var error = first.Code switch
        {
            PolicyErrorCode.LimitExceeded => IamErrors.LimitExceeded,
            _ => IamErrors.MalformedPolicyDocument,
        };
        throw error.ToException(string.Join(" ", result.Errors.Select(e => e.Message)));
    }
}
