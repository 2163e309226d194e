using System.Globalization;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>
/// s3:PutObject: checks the listed parts (ascending, each uploaded with that ETag, all but the last
/// at least 5 MiB) and makes the object visible in one transaction, made of the parts' blobs as
/// they are: completing never copies data.
/// </summary>
public sealed class CompleteMultipartUpload(S3Context s3) : S3Operation(s3)
{
    public override string Operation => "CompleteMultipartUpload";

    protected override string Action => "s3:PutObject";

    protected override S3Scope Scope => S3Scope.ObjectKey;

    protected override bool UsesObjectAcl => false;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        var key = RequireKey(request);
        var condition = ConditionalWrites.From(request.Input);
        var uploadId = S3Input.String(request.Input, "UploadId");
        var requested = S3Input.Object(request.Input, "MultipartUpload")?["Parts"] as JsonArray;
        if (uploadId is not null && await S3.Repository.GetUploadAsync(uploadId, cancellationToken) is null
            && await RepeatedAsync(bucket, key, uploadId, requested, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var upload = await Multipart.RequireUploadAsync(S3, bucket.Name, key, uploadId, cancellationToken);
        if (requested is not { Count: > 0 })
        {
            throw S3Errors.MalformedXml.ToException();
        }

        var uploaded = (await S3.Repository.ListPartsAsync(upload.UploadId, 0, Multipart.MaxParts, cancellationToken)).ToDictionary(p => p.PartNumber);
        var chosen = new List<S3PartRecord>();
        var previous = 0;
        foreach (var item in requested.OfType<JsonObject>())
        {
            var number = (int)(S3Input.Integer(item, "PartNumber") ?? 0);
            if (number <= previous)
            {
                throw S3Errors.InvalidPartOrder.ToException();
            }

            previous = number;
            var etag = S3Input.String(item, "ETag") ?? "";
            // A part's ETag in the body is one tag, its quotes optional (no header list, no "*").
            if (!uploaded.TryGetValue(number, out var part) || (etag != part.ETag && "\"" + etag + "\"" != part.ETag))
            {
                throw S3Errors.InvalidPart.ToException();
            }

            chosen.Add(part);
        }

        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Size < Multipart.MinPartBytes)
            {
                throw new Core.Errors.AwsException(S3Errors.EntityTooSmall, S3Errors.EntityTooSmall.DefaultMessage)
                {
                    Fields = [new("ProposedSize", chosen[i].Size.ToString(CultureInfo.InvariantCulture)), new("MinSizeAllowed", Multipart.MinPartBytes.ToString(CultureInfo.InvariantCulture)), new("PartNumber", chosen[i].PartNumber.ToString(CultureInfo.InvariantCulture)), new("ETag", chosen[i].ETag)],
                };
            }
        }

        var meta = ObjectMeta.Parse(upload.Meta);
        meta.Document["PartSizes"] = new JsonArray([.. chosen.Select(p => (JsonNode)p.Size)]);
        var fullObject = meta.Document["ChecksumType"]?.GetValue<string>() == S3Checksums.FullObject;
        meta.Document.Remove("ChecksumType");
        var checksums = ObjectChecksums(chosen, fullObject);
        foreach (var (algorithm, value) in fullObject ? checksums : [])
        {
            // The client may state the whole object's checksum; a different one means the parts are not what it sent.
            if (S3Input.String(request.Input, S3Checksums.Member(algorithm)) is { } stated && stated != value!.GetValue<string>())
            {
                throw S3Errors.BadDigest.ToException($"The {algorithm} you specified for the whole object did not match the one calculated from its parts.");
            }
        }
        if (checksums.Count > 0)
        {
            meta.Document["Checksums"] = checksums;

            // Each part's checksums of the object's algorithms, for GetObjectAttributes' ObjectParts.
            meta.Document["PartChecksums"] = new JsonArray([.. chosen.Select(p => (JsonNode)PartChecksums(p, checksums))]);
        }

        var etagValue = Multipart.ETag([.. chosen.Select(p => p.ETag)]);
        var versioning = bucket.Config.Versioning;
        var record = Replication.ObjectReplication.Queue(
            bucket,
            new S3ObjectRecord(
                bucket.Name, key, S3BlobList.Format(chosen.Select(p => (p.BlobId, p.Size))), chosen.Sum(p => p.Size), etagValue, S3.Time.GetUtcNow(), upload.OwnerAccount, meta.ToJson(),
                VersionId: ObjectVersions.ForWrite(versioning)),
            meta);
        await ConditionalWrites.PrecheckAsync(S3, condition, bucket.Name, key, cancellationToken);
        var (found, outcome, unreferenced) = await S3.Repository.CompleteUploadAsync(upload.UploadId, record, versioning, chosen.Select(p => p.BlobId).ToHashSet(StringComparer.Ordinal), condition, cancellationToken);
        if (!found)
        {
            // Completed by a concurrent request since it was looked up: answer as a repeat would.
            return await RepeatedAsync(bucket, key, upload.UploadId, requested, cancellationToken)
                ?? throw new Core.Errors.AwsException(S3Errors.NoSuchUpload, S3Errors.NoSuchUpload.DefaultMessage) { Fields = [new("UploadId", upload.UploadId)] };
        }

        ConditionalWrites.ThrowUnlessWritten(outcome);
        await S3.DeleteBlobsAsync(unreferenced);
        S3.ReplicationQueued(record);
        await Notifications.S3Events.EmitAsync(S3, request, bucket, "ObjectCreated:CompleteMultipartUpload", Notifications.S3Events.Of(record), cancellationToken);
        return Answer(bucket, record, meta);
    }

    private static OperationResult Answer(BucketState bucket, S3ObjectRecord record, ObjectMeta meta)
    {
        var output = new JsonObject
        {
            ["Location"] = "/" + bucket.Name + "/" + Uri.EscapeDataString(record.Key).Replace("%2F", "/", StringComparison.Ordinal),
            ["Bucket"] = bucket.Name,
            ["Key"] = record.Key,
            ["ETag"] = record.ETag,
        };
        ObjectVersions.WriteTo(output, bucket, record);
        ObjectEncryption.WriteTo(output, meta);

        ObjectUploads.WriteChecksums(output, meta.Checksums, withType: true);
        return new OperationResult(output);
    }

    /// <summary>
    /// A completion repeated after it succeeded: S3 answers 200 with the same object while it is
    /// still the key's current one and the request lists the same parts (their ETags make the
    /// object's). Null when this is no such repeat (then the upload does not exist).
    /// </summary>
    private async Task<OperationResult?> RepeatedAsync(BucketState bucket, string key, string uploadId, JsonArray? requested, CancellationToken cancellationToken)
    {
        var completed = await S3.Repository.GetCompletedUploadAsync(uploadId, cancellationToken);
        if (completed is null || completed.Bucket != bucket.Name || completed.Key != key || requested is not { Count: > 0 })
        {
            return null;
        }

        var etags = requested.OfType<JsonObject>().Select(p => (S3Input.String(p, "ETag") ?? "").Trim('"')).ToList();
        if (etags.Any(e => e.Length != 32 || !e.All(Uri.IsHexDigit)) || Multipart.ETag(etags) != completed.ETag)
        {
            return null;
        }

        var current = await S3.Repository.GetObjectAsync(bucket.Name, key, cancellationToken);
        return current is null || current.VersionId != completed.VersionId || current.ETag != completed.ETag
            ? null
            : Answer(bucket, current, ObjectMeta.Parse(current.Meta));
    }

    private static JsonObject PartChecksums(S3PartRecord part, JsonObject algorithms)
    {
        var own = JsonNode.Parse(part.Checksums) as JsonObject ?? [];
        return new JsonObject([.. algorithms.Select(a => a.Key).Where(own.ContainsKey).Select(a => KeyValuePair.Create(a, own[a]?.DeepClone()))]);
    }

    /// <summary>
    /// For each algorithm every part has, the object's checksum: FULL_OBJECT, the CRC of the whole
    /// data combined from the parts' CRCs and sizes; else the composite S3 reports, the checksum of
    /// the parts' binary checksums, then "-" and the part count.
    /// </summary>
    private static JsonObject ObjectChecksums(List<S3PartRecord> parts, bool fullObject)
    {
        var result = new JsonObject();
        var perPart = parts.Select(p => JsonNode.Parse(p.Checksums) as JsonObject ?? []).ToList();
        foreach (var algorithm in S3Checksums.Algorithms.Where(a => !fullObject || S3Checksums.IsCrc(a)))
        {
            if (perPart.Count == 0 || !perPart.All(c => c[algorithm] is not null))
            {
                continue;
            }

            var values = perPart.Select(c => c[algorithm]!.GetValue<string>()).ToList();
            result[algorithm] = fullObject
                ? S3Checksums.CombineFullObject(algorithm, [.. values.Select((v, i) => (v, parts[i].Size))])
                : S3Checksums.Compute(algorithm, [.. values.SelectMany(Convert.FromBase64String)]) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }
}
