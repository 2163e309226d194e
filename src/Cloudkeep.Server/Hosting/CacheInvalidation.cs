using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Route53;
using Cloudkeep.Services.S3;
using Cloudkeep.Storage.Changes;

namespace Cloudkeep.Server.Hosting;

/// <summary>
/// Which caches each kind of change makes stale. The signing-key cache and the compiled-policy caches need
/// nothing: they are keyed by what they were made from (a secret, a policy's text or immutable version), so
/// a change makes them miss rather than answer wrongly. KMS keys are read from the store on every request.
/// </summary>
internal static class CacheInvalidation
{
    public static void Wire(ChangeBus bus, CredentialResolver credentials, IamStore iam, S3Context s3, Route53Context route53)
    {
        bus.Subscribe(change =>
        {
            switch (change.Kind)
            {
                case ChangeKind.AccessKey:
                    credentials.Invalidate(change.Name);
                    break;
                case ChangeKind.Iam:
                    // Policies, groups, boundaries, SCPs: every caller's policies are reloaded (IAM changes are rare);
                    // a renamed or deleted user changes its keys' callers.
                    iam.Touch();
                    credentials.InvalidateAccount(change.Name);
                    break;
                case ChangeKind.Account:
                    iam.Touch();
                    credentials.InvalidateAccount(change.Name);
                    s3.ForgetAccount(change.Name);
                    break;
                case ChangeKind.Bucket:
                    s3.Forget(change.Name);
                    break;
                case ChangeKind.Route53:
                    route53.NoteChanged();
                    break;
                default:
                    iam.Touch();
                    credentials.InvalidateAll();
                    s3.ForgetAll();
                    route53.NoteChanged();
                    break;
            }
        });
    }
}
