using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3;

/// <summary>
/// MFA delete: on a bucket that has it, deleting a version and changing the versioning state need
/// x-amz-mfa ("serial code") naming an MFA device of the bucket owner's root user and a fresh code
/// from it, over HTTPS. Checked by the handler after authorization, so that a request the policies
/// refuse never uses up a code.
/// </summary>
internal static class MfaDelete
{
    public const string RequiredMessage = "Mfa Authentication must be used for this request";

    public static async Task RequireAsync(S3Context s3, OperationRequest request, BucketState bucket, CancellationToken cancellationToken)
    {
        var header = S3Input.String(request.Input, "MFA") ?? throw S3Errors.AccessDenied.ToException(RequiredMessage);
        if (!request.SecureTransport)
        {
            throw S3Errors.InvalidRequest.ToException("Mfa Authentication must be used over HTTPS");
        }

        var parts = header.Split(' ');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            // The header's value is not echoed: it holds a one-time code.
            throw new Core.Errors.AwsException(S3Errors.InvalidArgument, "Mfa header is invalid -- the header should be formatted as {serialNumber}(space){tokenCode}")
            {
                Fields = [new("ArgumentName", "x-amz-mfa")],
            };
        }

        // Under MFA delete only the bucket owner's root user destroys versions or changes versioning.
        if (request.Caller.Kind != PrincipalKind.Root || request.Caller.AccountId != bucket.AccountId)
        {
            throw S3Errors.AccessDenied.ToException(RequiredMessage);
        }

        if (s3.RootMfa is null || !await s3.RootMfa.ConsumeAsync(bucket.AccountId, parts[0], parts[1], cancellationToken))
        {
            throw S3Errors.AccessDenied.ToException(RequiredMessage);
        }
    }

    /// <summary>Only the bucket owner's root user may turn MFA delete on or off.</summary>
    public static void RequireOwnerRoot(Caller caller, BucketState bucket)
    {
        if (caller.Kind != PrincipalKind.Root || caller.AccountId != bucket.AccountId)
        {
            throw S3Errors.AccessDenied.ToException("Only the bucket owner's root user can change MFA delete");
        }
    }
}
