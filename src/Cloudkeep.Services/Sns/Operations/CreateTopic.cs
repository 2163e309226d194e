using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Sns.Operations;

/// <summary>CreateTopic: idempotent on the name; the same name with other attributes is refused as SNS refuses it.</summary>
public sealed class CreateTopic(SnsContext sns) : SnsOperation(sns)
{
    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Input.OptStr("Name") ?? "";
        var arn = SnsArns.Topic(request.Region, request.Caller.AccountId, name);
        return ValueTask.FromResult(ForTopic(request, arn, null, SnsTags.RequestKeys(request.Input)));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Input.Str("Name");
        if (!SnsArns.IsValidTopicName(name))
        {
            throw SnsErrors.Invalid("Topic Name");
        }

        var arn = SnsArns.Topic(request.Region, request.Caller.AccountId, name);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Input.OptObject("Attributes") ?? [])
        {
            var text = (string?)value ?? "";
            if (key == "FifoTopic" || key == "ContentBasedDeduplication" || key == "FifoThroughputScope")
            {
                if (key == "FifoTopic" && text == "false" && !name.EndsWith(".fifo", StringComparison.Ordinal))
                {
                    continue;
                }

                // FIFO topics deliver only to SQS queues, and Cloudkeep has no SQS.
                throw CommonErrors.NotImplemented.ToException("FIFO topics are not supported: Cloudkeep delivers to HTTP/S and e-mail endpoints, which only standard topics serve.");
            }

            TopicAttributes.Check(key, text, arn);
            attributes[key] = text;
        }

        if (name.EndsWith(".fifo", StringComparison.Ordinal))
        {
            throw SnsErrors.Invalid("Topic Name");
        }

        var tags = SnsTags.Read(request.Input.OptArray("Tags"));
        SnsTags.Check(tags);
        var record = new SnsTopicRecord(arn, request.Caller.AccountId, request.Region, name, TopicAttributes.Write(attributes), SnsTags.Write(tags), Sns.Time.GetUtcNow());
        if (!await Sns.Repository.InsertTopicAsync(record, cancellationToken))
        {
            var existing = await Sns.Repository.GetTopicAsync(arn, cancellationToken);
            if (existing is not null && attributes.Count > 0 && !SameEntries(TopicAttributes.Read(existing.Attributes), attributes))
            {
                throw SnsErrors.Invalid("Attributes Reason: Topic already exists with different attributes");
            }

            if (existing is not null && tags.Count > 0 && !SameEntries(SnsTags.ReadStored(existing.Tags), tags))
            {
                throw SnsErrors.Invalid("Tags Reason: Topic already exists with different tags");
            }
        }

        return new OperationResult(new JsonObject { ["TopicArn"] = arn });
    }

    private static bool SameEntries(Dictionary<string, string> stored, Dictionary<string, string> asked) =>
        asked.All(a => stored.TryGetValue(a.Key, out var v) && v == a.Value);
}
