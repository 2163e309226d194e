using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.Iam;

namespace Cloudkeep.Services.Sts;

/// <summary>Issues temporary credentials: an ASIA key id, a fresh secret and the sealed token that carries both.</summary>
public static class StsCredentials
{
    public static (SessionToken Token, JsonObject Output) Issue(IamContext iam, Func<string, string, SessionToken> describe)
    {
        ArgumentNullException.ThrowIfNull(iam);
        ArgumentNullException.ThrowIfNull(describe);
        var token = describe(AwsIds.NewTemporaryAccessKeyId(), AwsIds.NewSecretAccessKey());
        var output = new JsonObject
        {
            ["AccessKeyId"] = token.AccessKeyId,
            ["SecretAccessKey"] = token.SecretAccessKey,
            ["SessionToken"] = token.Seal(iam.Secrets),
            ["Expiration"] = JsonValue.Create(token.Expiration),
        };
        return (token, output);
    }
}
