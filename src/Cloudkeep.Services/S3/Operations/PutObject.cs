using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutObject: streams the body to a new blob (verifying Content-MD5 and checksums), then makes it
/// visible in one metadata write; the replaced object's bytes are deleted only after that commit.
/// </summary>
public sealed class PutObject(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "PutObject";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var condition = ConditionalWrites.From(request.Input);
        await ConditionalWrites.PrecheckAsync(S3, condition, bucket.Name, key, cancellationToken);
        var (owner, grants) = ObjectAcls.ForWrite(bucket, request.Caller, request.Input);
        var tags = ObjectUploads.TagsFromHeader(request.Input);
        var encryption = await ObjectEncryption.ForWriteAsync(S3, request, bucket, key, Action, cancellationToken);
        var meta = ObjectMeta.FromInput(request.Input);
        encryption.Mark(meta);
        ObjectLock.ObjectRetention.ApplyToNewVersion(meta, request.Input, bucket, S3.Time.GetUtcNow());
        var uploaded = await ObjectUploads.WriteAsync(S3, bucket.Region, request, ObjectUploads.MaxSinglePutBytes, encryption.SealingFor(bucket.Name, key), cancellationToken, allowInline: true);
        if (uploaded.Checksums.Count > 0)
        {
            meta.Document["Checksums"] = new JsonObject([.. uploaded.Checksums.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]);
        }

        meta.SetGrantsAndTags(grants, tags);

        var versioning = bucket.Config.Versioning;
        var record = Replication.ObjectReplication.Queue(
            bucket, new S3ObjectRecord(bucket.Name, key, uploaded.BlobList, uploaded.Length, uploaded.ETag, S3.Time.GetUtcNow(), owner, meta.ToJson(), uploaded.Inline, ObjectVersions.ForWrite(versioning)), meta);
        string? replaced;
        try
        {
            S3WriteOutcome outcome;
            (outcome, replaced) = await S3.Repository.PutObjectAsync(record, versioning, condition, cancellationToken);
            ConditionalWrites.ThrowUnlessWritten(outcome);
        }
        catch
        {
            await uploaded.DiscardAsync(S3);
            throw;
        }

        await S3.DeleteObjectBlobsAsync(replaced);
        S3.ReplicationQueued(record);
        await Notifications.S3Events.EmitAsync(S3, request, bucket, request.IsBrowserPost ? "ObjectCreated:Post" : "ObjectCreated:Put", Notifications.S3Events.Of(record), cancellationToken);
        var output = new JsonObject { ["ETag"] = uploaded.ETag, ["Size"] = uploaded.Length };
        encryption.WriteTo(output, meta);
        ObjectVersions.WriteTo(output, bucket, record);

        if (Lifecycle.ObjectExpiry.HeaderFor(bucket, record) is { } expiration)
        {
            output["Expiration"] = expiration;
        }

        ObjectUploads.WriteChecksums(output, meta.Checksums, withType: true);
        return new OperationResult(output);
    }
}
