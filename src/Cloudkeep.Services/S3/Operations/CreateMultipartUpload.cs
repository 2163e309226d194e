using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObject: starts an upload, keeping the object's headers, ACL and tags for completion.</summary>
public sealed class CreateMultipartUpload(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "CreateMultipartUpload";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var (owner, grants) = ObjectAcls.ForWrite(bucket, request.Caller, request.Input);
        var encryption = await ObjectEncryption.ForWriteAsync(S3, request, bucket, key, Action, cancellationToken);
        var meta = ObjectMeta.FromInput(request.Input);
        encryption.Mark(meta);
        ObjectLock.ObjectRetention.ApplyToNewVersion(meta, request.Input, bucket, S3.Time.GetUtcNow());
        meta.SetGrantsAndTags(grants, ObjectUploads.TagsFromHeader(request.Input));

        var algorithm = S3Input.String(request.Input, "ChecksumAlgorithm");
        var type = ChecksumType(algorithm, S3Input.String(request.Input, "ChecksumType"));
        if (algorithm is not null)
        {
            meta.Document["ChecksumAlgorithm"] = algorithm;
            meta.Document["ChecksumType"] = type;
        }

        var uploadId = Multipart.NewUploadId();
        await S3.Repository.CreateUploadAsync(new S3UploadRecord(uploadId, bucket.Name, key, S3.Time.GetUtcNow(), owner, request.Caller.Arn, meta.ToJson()), cancellationToken);
        var output = new JsonObject { ["Bucket"] = bucket.Name, ["Key"] = key, ["UploadId"] = uploadId };
        encryption.WriteTo(output, meta);
        if (algorithm is not null)
        {
            output["ChecksumAlgorithm"] = algorithm;
            output["ChecksumType"] = type;
        }

        return new OperationResult(output);
    }

    /// <summary>
    /// The checksum type of the object the upload makes: CRCs may describe the whole object
    /// (FULL_OBJECT, CRC64NVME's only type), CRC32, CRC32C, SHA1 and SHA256 may be a checksum of the
    /// parts' checksums (COMPOSITE, the default for them).
    /// </summary>
    private static string? ChecksumType(string? algorithm, string? requested)
    {
        if (algorithm is null)
        {
            return requested is null ? null : throw S3Errors.InvalidRequest.ToException("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }

        if (!S3Checksums.Algorithms.Contains(algorithm))
        {
            throw S3Errors.InvalidRequest.ToException($"Checksum algorithm {algorithm} is not supported.");
        }

        var type = requested ?? (algorithm == "CRC64NVME" ? S3Checksums.FullObject : S3Checksums.Composite);
        var allowed = type switch
        {
            S3Checksums.FullObject => S3Checksums.IsCrc(algorithm),
            S3Checksums.Composite => algorithm is "CRC32" or "CRC32C" or "SHA1" or "SHA256",
            _ => false,
        };
        return allowed ? type : throw S3Errors.InvalidRequest.ToException($"The {type} checksum type cannot be used with the {algorithm.ToLowerInvariant()} checksum algorithm.");
    }
}
