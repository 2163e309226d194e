using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.S3.Operations;

/// <summary>Put, Get or Delete of one kind of bucket configuration document (<see cref="BucketDocumentKind"/>).</summary>
public sealed class BucketDocument(S3Context s3, BucketDocumentKind kind, BucketDocument.Verb verb) : S3Operation(s3)
{
    public enum Verb
    {
        Put,
        Get,
        Delete,
    }

    public override string Operation => verb + kind.Name;

    protected override string Action => verb switch
    {
        Verb.Put => kind.PutAction,
        Verb.Get => kind.GetAction,
        _ => kind.DeleteAction,
    };

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucket = await S3.RequestBucketAsync(request, cancellationToken);
        switch (verb)
        {
            case Verb.Get:
                var stored = bucket.Config.Get(kind.Part) ?? kind.Default?.Invoke() ?? throw kind.NotFound.ToException();
                return new OperationResult(kind.OutputsMembers ? (JsonObject)stored.DeepClone() : new JsonObject { [kind.Member] = Output(stored) });
            case Verb.Put:
                var value = S3Input.Object(request.Input, kind.Member) ?? throw S3Errors.MalformedXml.ToException();
                kind.Validate?.Invoke(value, bucket);
                await S3.SaveConfigAsync(bucket, bucket.Config.With(kind.Part, Stored(value)), cancellationToken);
                return OperationResult.Empty;
            default:
                await S3.SaveConfigAsync(bucket, bucket.Config.With(kind.Part, null), cancellationToken);
                return OperationResult.Empty;
        }
    }

    /// <summary>Ownership is kept as its bare value (the ACL logic reads it on every request); the others as given.</summary>
    private JsonNode Stored(JsonObject value) =>
        kind == BucketDocumentKind.OwnershipControls ? JsonValue.Create(value["Rules"]![0]!["ObjectOwnership"]!.GetValue<string>()) : value;

    private JsonNode Output(JsonNode stored) =>
        kind == BucketDocumentKind.OwnershipControls
            ? new JsonObject { ["Rules"] = new JsonArray(new JsonObject { ["ObjectOwnership"] = stored.GetValue<string>() }) }
            : stored.DeepClone();
}
