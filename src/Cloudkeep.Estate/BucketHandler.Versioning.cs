using Amazon.S3;
using Amazon.S3.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// Versioning, MFA delete and lifecycle rules. MFA delete is read and compared but never put:
/// S3 takes it only from the bucket owner's root user with a code from its MFA device, which a tool
/// has no business holding, so apply prints the command instead (and, while MFA delete is on, for a
/// versioning change too, which S3 then guards the same way).
/// </summary>
internal sealed partial class BucketHandler
{
    public IReadOnlyCollection<string> ManualFields(IReadOnlyDictionary<string, string> live) =>
        live.GetValueOrDefault("mfaDelete") == "true" ? ["mfaDelete", "versioning"] : ["mfaDelete"];

    public IEnumerable<string> Unreachable(EstateResource resolved, IReadOnlyDictionary<string, string> live)
    {
        if (resolved.Fields.GetValueOrDefault("versioning") == "Disabled" && live.GetValueOrDefault("versioning") is "Enabled" or "Suspended")
        {
            yield return $"{resolved.Address}: versioning: the bucket is versioned ({live["versioning"]}) and S3 cannot return a bucket to unversioned; write 'versioning: Suspended' to stop new versions";
        }
    }

    /// <summary>The AWS CLI command the bucket owner's root user runs, with its MFA device's serial and a current code.</summary>
    public async Task<string> ManualStepAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var account = await connection.AccountIdAsync(cancellationToken);
        var status = Versioned(resolved.Fields.GetValueOrDefault("versioning")) ?? (live.GetValueOrDefault("versioning") == "Suspended" ? "Suspended" : "Enabled");
        var mfaDelete = (resolved.Fields.GetValueOrDefault("mfaDelete") ?? live.GetValueOrDefault("mfaDelete")) == "true" ? "Enabled" : "Disabled";
        // The serial of root's device cannot be read by anyone but root; <root-mfa-device> is its name
        // (root-account-mfa-device for one enabled in the console).
        return $"{string.Join(" and ", fields)}: S3 takes this only from the bucket owner's root user with a code from its MFA device (over HTTPS); as root, run:\n    aws s3api put-bucket-versioning --bucket {resolved.Name} --versioning-configuration Status={status},MFADelete={mfaDelete} --mfa \"arn:aws:iam::{account}:mfa/<root-mfa-device> <code>\"";
    }

    private static string? Versioned(string? status) => status is "Enabled" or "Suspended" ? status : null;

    private static async Task ReadVersioningAsync(AmazonS3Client s3, EstateResource desired, Dictionary<string, string> live, CancellationToken cancellationToken)
    {
        var name = desired.Name;
        if (desired.Fields.ContainsKey("versioning") || desired.Fields.ContainsKey("mfaDelete"))
        {
            var config = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name }, cancellationToken)).VersioningConfig;
            // A bucket that was never versioned answers without a Status (the SDK's "Off").
            live["versioning"] = Versioned(config?.Status?.Value) ?? "Disabled";
            live["mfaDelete"] = config?.EnableMfaDelete == true ? "true" : "false";
        }

        if (desired.Fields.ContainsKey("lifecycle"))
        {
            var lifecycle = await Optional(() => s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = name }, cancellationToken), "NoSuchLifecycleConfiguration");
            live["lifecycle"] = BucketLifecycle.FromSdk(lifecycle?.Configuration?.Rules ?? []);
        }
    }

    private static async Task UpdateVersioningAsync(AmazonS3Client s3, EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var name = resolved.Name;
        if (fields.Contains("versioning") && resolved.Fields["versioning"] is "Enabled" or "Suspended")
        {
            await PutVersioningAsync(s3, name, resolved.Fields["versioning"], cancellationToken);
            // An unversioned bucket cannot be put back: Suspended is the nearest S3 allows.
            var old = Versioned(live.GetValueOrDefault("versioning")) ?? "Suspended";
            journal.Done("PutBucketVersioning", () => PutVersioningAsync(s3, name, old, CancellationToken.None));
        }

        if (fields.Contains("lifecycle"))
        {
            await PutLifecycleAsync(s3, name, resolved.Fields["lifecycle"], cancellationToken);
            var old = live.GetValueOrDefault("lifecycle") ?? "[]";
            journal.Done("PutBucketLifecycleConfiguration", () => PutLifecycleAsync(s3, name, old, CancellationToken.None));
        }
    }

    /// <summary>Status only: a request that names MFADelete at all is root's, with a code.</summary>
    private static async Task PutVersioningAsync(AmazonS3Client s3, string name, string status, CancellationToken cancellationToken) =>
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = name,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.FindValue(status) },
        }, cancellationToken);

    private static async Task PutLifecycleAsync(AmazonS3Client s3, string name, string json, CancellationToken cancellationToken)
    {
        if (json == "[]")
        {
            await s3.DeleteLifecycleConfigurationAsync(new DeleteLifecycleConfigurationRequest { BucketName = name }, cancellationToken);
        }
        else
        {
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = name,
                Configuration = new LifecycleConfiguration { Rules = BucketLifecycle.ToSdk(json) },
            }, cancellationToken);
        }
    }
}
