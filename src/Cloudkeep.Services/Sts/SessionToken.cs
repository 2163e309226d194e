using System.Text.Json;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Identity;

namespace Cloudkeep.Services.Sts;

/// <summary>
/// A self-contained session token, like AWS's: everything a node needs to authenticate the session
/// (its secret, principal, expiry, MFA facts, session policies and tags) sealed under the master
/// key. Any node verifies it without a database round trip; a tampered token does not open.
/// </summary>
public sealed record SessionToken(
    string AccessKeyId,
    string SecretAccessKey,
    PrincipalKind Kind,
    string AccountId,
    string Arn,
    string UserId,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration,
    bool MultiFactorAuthPresent,
    DateTimeOffset? MultiFactorAuthTime,
    string? SourceIdentity,
    string? RoleArn,
    string? InlineSessionPolicy,
    IReadOnlyList<string> SessionPolicyArns,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> TransitiveTagKeys,
    bool Chained)
{
    public const string Purpose = "sts:session-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public string Seal(SecretBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        return Convert.ToBase64String(box.Seal(JsonSerializer.SerializeToUtf8Bytes(this, Json), Purpose));
    }

    public static SessionToken? TryOpen(SecretBox box, string token)
    {
        ArgumentNullException.ThrowIfNull(box);
        try
        {
            return JsonSerializer.Deserialize<SessionToken>(box.Open(Convert.FromBase64String(token), Purpose), Json);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }

    public Caller ToCaller() => new(Kind, AccountId, Arn, UserId, AccessKeyId, new SessionFacts(IssuedAt, Expiration, MultiFactorAuthPresent, MultiFactorAuthTime, SourceIdentity)
    {
        RoleArn = RoleArn,
        InlineSessionPolicy = InlineSessionPolicy,
        SessionPolicyArns = SessionPolicyArns,
        Tags = Tags,
        TransitiveTagKeys = TransitiveTagKeys,
        Chained = Chained,
    });
}
