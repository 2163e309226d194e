using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3;

/// <summary>
/// Conditional writes ("How to prevent object overwrites with conditional writes", and If-Match /
/// If-None-Match in PutObject, CopyObject and CompleteMultipartUpload): If-None-Match takes only
/// "*" (another value is 501 NotImplemented, as S3 answers), If-Match an ETag. The store decides
/// them in the write's own transaction; what it found becomes S3's error here.
/// </summary>
internal static class ConditionalWrites
{
    /// <summary>The request's precondition on the key's current object; null when it has none.</summary>
    public static S3WriteCondition? From(JsonObject input)
    {
        var ifMatch = S3Input.Array(input, "IfMatch");
        var ifNoneMatch = S3Input.Array(input, "IfNoneMatch");
        if (ifMatch is null && ifNoneMatch is null)
        {
            return null;
        }

        if (ifNoneMatch is not null && (ifMatch is not null || ifNoneMatch.Count != 1 || ifNoneMatch[0]?.GetValue<string>() != "*"))
        {
            throw new AwsException(S3Errors.NotImplemented, S3Errors.NotImplemented.DefaultMessage) { Fields = [new("Header", ifMatch is not null ? "If-Match" : "If-None-Match")] };
        }

        return ifNoneMatch is not null
            ? new S3WriteCondition(MustNotExist: true, MatchETags: null)
            : new S3WriteCondition(MustNotExist: false, MatchETags: [.. ifMatch!.Select(t => t?.GetValue<string>() ?? "")]);
    }

    /// <summary>
    /// Refuses before any body is read when the precondition already fails; the write's own
    /// transaction judges it again, so a race between this look and the commit is still decided there.
    /// </summary>
    public static async Task PrecheckAsync(S3Context s3, S3WriteCondition? condition, string bucket, string key, CancellationToken cancellationToken)
    {
        if (condition is not null)
        {
            ThrowUnlessWritten(condition.Judge((await s3.Repository.GetObjectAsync(bucket, key, cancellationToken))?.ETag));
        }
    }

    /// <summary>Throws S3's answer to a write its precondition refused; returns when it was written.</summary>
    public static void ThrowUnlessWritten(S3WriteOutcome outcome)
    {
        switch (outcome)
        {
            case S3WriteOutcome.Written:
                return;
            case S3WriteOutcome.Exists:
                throw new AwsException(S3Errors.PreconditionFailed, S3Errors.PreconditionFailed.DefaultMessage) { Fields = [new("Condition", "If-None-Match")] };
            case S3WriteOutcome.ETagMismatch:
                throw new AwsException(S3Errors.PreconditionFailed, S3Errors.PreconditionFailed.DefaultMessage) { Fields = [new("Condition", "If-Match")] };
            case S3WriteOutcome.Missing:
                throw S3Errors.NoSuchKey.ToException();
            case S3WriteOutcome.Conflict:
                throw S3Errors.ConditionalRequestConflict.ToException();
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null);
        }
    }
}
