using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Blobs;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>s3:PutObject on the upload and s3:GetObject on the source: a part copied from (a range of) an existing object.</summary>
public sealed class UploadPartCopy(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "UploadPartCopy";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await CopySource.AlsoReadingAsync(S3, await base.DescribeAsync(request, cancellationToken), request, cancellationToken);
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var partNumber = Multipart.PartNumber(S3Input.Integer(input, "PartNumber"));
        var upload = await Multipart.RequireUploadAsync(S3, bucket.Name, key, S3Input.String(input, "UploadId"), cancellationToken);
        var source = CopySource.Parse(input);
        var record = await source.RequireObjectAsync(S3, input, cancellationToken);
        long offset = 0;
        var length = record.Size;
        if (input["CopySourceRange"] is { } range)
        {
            // A value the decode step could not read as a byte range stays its text.
            (offset, length) = range is System.Text.Json.Nodes.JsonObject readable
                ? ObjectReads.ByteRangeOf(readable, record.Size)
                : throw S3Errors.InvalidArgument.ToException("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }

        if (length > Multipart.MaxPartBytes)
        {
            throw S3Errors.EntityTooLarge.ToException();
        }

        await using var body = ObjectContent.Open(S3, record, offset, length);
        BlobWriteResult blob = await S3.Blobs.WriteAsync(bucket.Region, body, cancellationToken);
        var result = await PartRecords.SaveAsync(S3, upload, partNumber, ObjectUploads.Uploaded.FromBlob(blob, []), copy: true, cancellationToken);
        if (source.VersionId is not null || record.VersionId != Storage.Metadata.S3ObjectRecord.NullVersion)
        {
            result.Output["CopySourceVersionId"] = record.VersionId;
        }

        return result;
    }
}
