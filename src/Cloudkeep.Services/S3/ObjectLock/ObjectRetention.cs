using System.Text.Json.Nodes;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.ObjectLock;

/// <summary>
/// One version's retention and legal hold, kept in its metadata document, and the rules S3 applies
/// with them: a version under an unexpired retention or a legal hold cannot be deleted; GOVERNANCE
/// yields to x-amz-bypass-governance-retention (with s3:BypassGovernanceRetention), COMPLIANCE to
/// nobody, not even root; a retention may always be lengthened, a COMPLIANCE one never shortened.
/// </summary>
internal sealed record ObjectRetention(string? Mode, DateTimeOffset? RetainUntil, bool LegalHold)
{
    public const string Governance = "GOVERNANCE";
    public const string Compliance = "COMPLIANCE";

    public static ObjectRetention Of(ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        var retention = meta.Document["Retention"] as JsonObject;
        DateTimeOffset? until = retention?["RetainUntilDate"] is JsonValue value && value.TryGetValue<DateTimeOffset>(out var date) ? date : null;
        return new ObjectRetention(retention?["Mode"]?.GetValue<string>(), until, meta.Document["LegalHold"]?.GetValue<string>() == "ON");
    }

    public static ObjectRetention Of(S3ObjectRecord record) => Of(ObjectMeta.Parse(record.Meta));

    public bool Retained(DateTimeOffset now) => Mode is not null && RetainUntil > now;

    /// <summary>Whether the version may be removed for good now.</summary>
    public bool MayDelete(DateTimeOffset now, bool bypassGovernance) =>
        !LegalHold && (!Retained(now) || (Mode == Governance && bypassGovernance));

    /// <summary>Whether this retention may be replaced by the given one; shortening or lifting needs the bypass, and never works on COMPLIANCE.</summary>
    public bool MayBecome(string? nextMode, DateTimeOffset? nextUntil, DateTimeOffset now, bool bypassGovernance)
    {
        if (!Retained(now))
        {
            return true;
        }

        var keepsOrLengthens = nextMode == Mode || (Mode == Governance && nextMode == Compliance);
        if (keepsOrLengthens && nextUntil >= RetainUntil)
        {
            return true;
        }

        return Mode == Governance && bypassGovernance;
    }

    public static void Write(ObjectMeta meta, string? mode, DateTimeOffset? until)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (mode is null)
        {
            meta.Document.Remove("Retention");
            return;
        }

        meta.Document["Retention"] = new JsonObject { ["Mode"] = mode, ["RetainUntilDate"] = JsonValue.Create(until!.Value.ToUniversalTime()) };
    }

    /// <summary>The GET/HEAD members for a version's lock.</summary>
    public void WriteTo(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Mode is not null && RetainUntil is { } until)
        {
            output["ObjectLockMode"] = Mode;
            output["ObjectLockRetainUntilDate"] = JsonValue.Create(until);
        }

        if (LegalHold)
        {
            output["ObjectLockLegalHoldStatus"] = "ON";
        }
    }

    /// <summary>
    /// The lock a new version gets: the request's x-amz-object-lock-* headers, else the bucket's
    /// default retention. InvalidRequest on a bucket without Object Lock, InvalidArgument for a
    /// mode without a date (or the reverse) or a date not in the future.
    /// </summary>
    public static void ApplyToNewVersion(ObjectMeta meta, JsonObject input, BucketState bucket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(bucket);
        var mode = S3Input.String(input, "ObjectLockMode");
        var until = S3Input.Timestamp(input, "ObjectLockRetainUntilDate");
        var hold = S3Input.String(input, "ObjectLockLegalHoldStatus");
        var enabled = ObjectLockConfiguration.IsEnabled(bucket.Config);
        if (!enabled)
        {
            if (mode is not null || until is not null || hold is not null)
            {
                throw ObjectLockConfiguration.Missing();
            }

            return;
        }

        if ((mode is null) != (until is null))
        {
            throw S3Errors.InvalidArgument.ToException("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }

        if (mode is not null)
        {
            if (mode is not (Governance or Compliance))
            {
                throw S3Errors.InvalidArgument.ToException("Unknown wormMode directive.");
            }

            if (until <= now)
            {
                throw S3Errors.InvalidArgument.ToException("The retain until date must be in the future!");
            }

            Write(meta, mode, until);
        }
        else if (ObjectLockConfiguration.DefaultFor(bucket.Config, now) is { } byDefault)
        {
            Write(meta, byDefault.Mode, byDefault.Until);
        }

        if (hold is not null)
        {
            meta.Document["LegalHold"] = hold is "ON" or "OFF" ? hold : throw S3Errors.InvalidArgument.ToException("Legal Hold must be either of 'ON' or 'OFF'");
        }
    }

    /// <summary>What S3 answers for a delete of a protected version.</summary>
    public static Core.Errors.AwsException ProtectedError() =>
        S3Errors.AccessDenied.ToException("Access Denied because object protected by object lock.");
}
