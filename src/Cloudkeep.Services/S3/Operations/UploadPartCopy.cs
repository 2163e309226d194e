using Cloudkeep.Core.Operations;

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
        var sourceMeta = ObjectMeta.Parse(record.Meta);
        var sourceKey = await ObjectEncryption.ForReadAsync(S3, request, sourceMeta, record.Bucket, record.Key, ObjectEncryption.ReadFor.CopySource, cancellationToken);
        var sealing = await PartRecords.SealingAsync(S3, request, upload, cancellationToken);
        long offset = 0;
        var length = record.Size;
        if (input["CopySourceRange"] is { } range)
        {
            (offset, length) = CopyRangeOf(range, record.Size);
        }

        if (length > Multipart.MaxPartBytes)
        {
            throw S3Errors.EntityTooLarge.ToException();
        }

        await using var body = await ObjectContent.OpenAsync(S3, record, sourceMeta, sourceKey, offset, length, cancellationToken);
        var uploaded = await ObjectUploads.StoreAsync(S3, bucket.Region, body, sealing, cancellationToken);
        var result = await PartRecords.SaveAsync(S3, request, upload, partNumber, uploaded, copy: true, cancellationToken);
        if (source.VersionId is not null || record.VersionId != Storage.Metadata.S3ObjectRecord.NullVersion)
        {
            result.Output["CopySourceVersionId"] = record.VersionId;
        }

        return result;
    }

    /// <summary>
    /// The source bytes of x-amz-copy-source-range. Unlike GET's Range, S3 takes only bytes=first-last
    /// here and never clamps it: a range reaching past the source is InvalidArgument "Range specified
    /// is not valid for source object of size: N" (what S3 answers; UploadPartCopy in the S3 API reference).
    /// </summary>
    private static (long Offset, long Length) CopyRangeOf(System.Text.Json.Nodes.JsonNode range, long size)
    {
        // A value the decode step could not read as a byte range stays its text.
        if (range is not System.Text.Json.Nodes.JsonObject readable
            || S3Input.Integer(readable, "First") is not { } first
            || S3Input.Integer(readable, "Last") is not { } last)
        {
            throw S3Errors.InvalidArgument.ToException("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }

        if (last >= size)
        {
            throw S3Errors.InvalidArgument.ToException("Range specified is not valid for source object of size: " + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return (first, last - first + 1);
    }
}
