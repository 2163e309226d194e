using System.Text.Json.Nodes;

namespace Cloudkeep.Services.S3;

/// <summary>The Owner element S3 returns: the canonical user id and the account's name.</summary>
internal static class S3Owners
{
    public static async Task<JsonObject> OwnerAsync(S3Context s3, string accountId, CancellationToken cancellationToken) => new()
    {
        ["ID"] = S3Context.CanonicalId(accountId),
        ["DisplayName"] = await s3.DisplayNameAsync(accountId, cancellationToken),
    };
}
