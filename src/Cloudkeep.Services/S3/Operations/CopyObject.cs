using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutObject on the destination and s3:GetObject on the source (each judged by its own bucket's
/// policy, so across buckets and accounts both must allow). The metadata directive chooses between
/// the source's headers (COPY) and the request's (REPLACE); the bytes are streamed into a new blob.
/// </summary>
public sealed class CopyObject(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "CopyObject";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await CopySource.AlsoReadingAsync(S3, await base.DescribeAsync(request, cancellationToken), request, cancellationToken);
    }

    protected override Dictionary<string, IReadOnlyList<string>> ConditionKeys(OperationRequest request)
    {
        var keys = base.ConditionKeys(request);
        keys["s3:x-amz-copy-source"] = [CopySource.HeaderText(request.Input)];
        keys["s3:x-amz-metadata-directive"] = [S3Input.String(request.Input, "MetadataDirective") ?? "COPY"];
        return keys;
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var condition = ConditionalWrites.From(request.Input);
        await ConditionalWrites.PrecheckAsync(S3, condition, bucket.Name, key, cancellationToken);
        var source = CopySource.Parse(input);
        var sourceRecord = await source.RequireObjectAsync(S3, input, cancellationToken);
        var replace = S3Input.String(input, "MetadataDirective") == "REPLACE";
        if (source.Bucket == bucket.Name && source.Key == key && source.VersionId is null && !replace && S3Input.String(input, "StorageClass") is null
            && S3Input.String(input, ObjectEncryption.Member) is null && S3Input.String(input, "SSECustomerAlgorithm") is null)
        {
            throw S3Errors.InvalidRequest.ToException("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        if (sourceRecord.Size > ObjectUploads.MaxSinglePutBytes)
        {
            throw S3Errors.InvalidRequest.ToException("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
        }

        // The source is read as the caller (its SSE-C key, or kms:Decrypt on its KMS key), and the
        // destination encrypted per this request or its bucket's default, never the source's:
        // "the encryption setting of the target object is set to the default encryption
        // configuration of the destination bucket" unless the request says otherwise (CopyObject).
        var sourceMeta = ObjectMeta.Parse(sourceRecord.Meta);
        var sourceKey = await ObjectEncryption.ForReadAsync(S3, request, sourceMeta, sourceRecord.Bucket, sourceRecord.Key, ObjectEncryption.ReadFor.CopySource, cancellationToken);
        var encryption = await ObjectEncryption.ForWriteAsync(S3, request, bucket, key, Action, cancellationToken);
        var (owner, grants) = ObjectAcls.ForWrite(bucket, request.Caller, input);
        var meta = replace ? ObjectMeta.FromInput(input) : sourceMeta.Clone();
        meta.Document.Remove("Grants");
        meta.Document.Remove("PartSizes");
        meta.Document.Remove("PartChecksums");
        meta.Document.Remove("Checksums");
        encryption.Mark(meta);

        // A copy is a new version: its lock comes from this request or the bucket's default, never from the source.
        meta.Document.Remove("Retention");
        meta.Document.Remove("LegalHold");
        ObjectLock.ObjectRetention.ApplyToNewVersion(meta, input, bucket, S3.Time.GetUtcNow());
        JsonArray? tags = null;
        if (S3Input.String(input, "TaggingDirective") == "REPLACE")
        {
            meta.Document.Remove("Tags");
            tags = ObjectUploads.TagsFromHeader(input);
        }

        meta.SetGrantsAndTags(grants, tags);

        await using var body = await ObjectContent.OpenAsync(S3, sourceRecord, sourceMeta, sourceKey, 0, sourceRecord.Size, cancellationToken);
        var hashing = new ChecksumStream(body, S3Input.String(input, "ChecksumAlgorithm") is { } algorithm ? [algorithm] : []);
        var uploaded = await ObjectUploads.StoreAsync(S3, bucket.Region, hashing, encryption.SealingFor(bucket.Name, key), cancellationToken);
        var blob = uploaded.Blob!;
        if (hashing.Any)
        {
            meta.Document["Checksums"] = new JsonObject([.. hashing.Results().Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]);
        }

        var etag = uploaded.ETag;
        var now = S3.Time.GetUtcNow();
        var versioning = bucket.Config.Versioning;
        meta.Document.Remove(Replication.ObjectReplication.StatusMember);
        var record = Replication.ObjectReplication.Queue(
            bucket, new S3ObjectRecord(bucket.Name, key, uploaded.BlobList, uploaded.Length, etag, now, owner, meta.ToJson(), VersionId: ObjectVersions.ForWrite(versioning)), meta);
        string? replaced;
        try
        {
            S3WriteOutcome outcome;
            (outcome, replaced) = await S3.Repository.PutObjectAsync(record, versioning, condition, cancellationToken);
            ConditionalWrites.ThrowUnlessWritten(outcome);
        }
        catch
        {
            await S3.DiscardBlobAsync(blob.Id);
            throw;
        }

        await S3.DeleteObjectBlobsAsync(replaced);
        S3.ReplicationQueued(record);
        await Notifications.S3Events.EmitAsync(S3, request, bucket, "ObjectCreated:Copy", Notifications.S3Events.Of(record), cancellationToken);
        var result = new JsonObject { ["ETag"] = etag, ["LastModified"] = JsonValue.Create(now) };
        ObjectUploads.WriteChecksums(result, meta.Checksums);
        var output = new JsonObject { ["CopyObjectResult"] = result };
        encryption.WriteTo(output, meta);
        ObjectVersions.WriteTo(output, bucket, record);

        if (source.VersionId is not null || sourceRecord.VersionId != S3ObjectRecord.NullVersion)
        {
            output["CopySourceVersionId"] = sourceRecord.VersionId;
        }

        return new OperationResult(output);
    }
}
