using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>
/// PublishBatch: up to 10 messages; the batch as a whole is refused for an empty, oversized or
/// ill-identified batch, and each entry otherwise succeeds or fails on its own (Failed entries carry
/// the code SNS would answer that message with).
/// </summary>
public sealed class PublishBatch(SnsContext sns) : SnsOperation(sns)
{
    private const int MaxEntries = 10;

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = await TopicAsync(request, cancellationToken);
        var entries = request.Input.OptArray("PublishBatchRequestEntries").Objects().ToList();
        if (entries.Count == 0)
        {
            throw SnsErrors.EmptyBatchRequest.ToException();
        }

        if (entries.Count > MaxEntries)
        {
            throw SnsErrors.TooManyEntriesInBatchRequest.ToException();
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = entry.OptStr("Id") ?? "";
            if (id.Length is 0 or > 80 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw SnsErrors.InvalidBatchEntryId.ToException();
            }

            if (!ids.Add(id))
            {
                throw SnsErrors.BatchEntryIdsNotDistinct.ToException();
            }
        }

        if (entries.Sum(e => Encoding.UTF8.GetByteCount(e.OptStr("Message") ?? "")) > SnsPublishing.MaxMessageBytes)
        {
            throw SnsErrors.BatchRequestTooLong.ToException();
        }

        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in entries)
        {
            var id = entry.Str("Id");
            try
            {
                var draft = SnsPublishing.ReadDraft(entry);
                SnsPublishing.Check(draft);
                var messageId = await SnsPublishing.PublishAsync(Sns, topic, draft, cancellationToken);
                successful.Add(new JsonObject { ["Id"] = id, ["MessageId"] = messageId });
            }
            catch (AwsException e) when (e.Error.Fault == ErrorFault.Sender)
            {
                failed.Add(new JsonObject { ["Id"] = id, ["Code"] = e.Code, ["Message"] = e.Message, ["SenderFault"] = true });
            }
        }

        return new OperationResult(new JsonObject { ["Successful"] = successful, ["Failed"] = failed });
    }
}
