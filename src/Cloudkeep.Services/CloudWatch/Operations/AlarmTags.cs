using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch.Operations;

/// <summary>
/// TagResource, UntagResource and ListTagsForResource on alarms (arn:aws:cloudwatch:region:account:alarm:name;
/// Cloudkeep has no other taggable CloudWatch resource). The resource is the ARN named.
/// </summary>
public sealed class AlarmTags(CloudWatchContext cloudWatch, AlarmTags.Verb verb) : CloudWatchOperation(cloudWatch)
{
    public enum Verb
    {
        Tag,
        Untag,
        List,
    }

    public override string Operation => verb switch { Verb.Tag => "TagResource", Verb.Untag => "UntagResource", _ => "ListTagsForResource" };

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = request.Input.OptStr("ResourceARN") ?? "*";
        var keys = verb switch
        {
            Verb.Tag => request.Input.OptArray("Tags").Objects().Select(t => t.OptStr("Key")).OfType<string>().ToList(),
            Verb.Untag => request.Input.OptArray("TagKeys").Strings().ToList(),
            _ => [],
        };
        var conditions = keys.Count == 0 ? null : new Dictionary<string, IReadOnlyList<string>> { ["aws:TagKeys"] = keys };
        return ValueTask.FromResult(new AuthorizationTarget("cloudwatch:" + Operation, [arn], conditions));
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = request.Input.Str("ResourceARN");
        var alarm = await FindAsync(request, arn, cancellationToken);
        var tags = AlarmOutput.Tags(alarm);
        switch (verb)
        {
            case Verb.Tag:
                AlarmOutput.ReadTags(request.Input.OptArray("Tags"), tags);
                await CloudWatch.Repository.SetTagsAsync(alarm.AccountId, alarm.Region, alarm.Name, JsonSerializer.Serialize(tags), cancellationToken);
                return OperationResult.Empty;
            case Verb.Untag:
                foreach (var key in request.Input.OptArray("TagKeys").Strings())
                {
                    tags.Remove(key);
                }

                await CloudWatch.Repository.SetTagsAsync(alarm.AccountId, alarm.Region, alarm.Name, JsonSerializer.Serialize(tags), cancellationToken);
                return OperationResult.Empty;
            default:
                return new OperationResult(new JsonObject { ["Tags"] = AlarmOutput.TagList(tags) });
        }
    }

    private async Task<MetricAlarmRecord> FindAsync(OperationRequest request, string arn, CancellationToken cancellationToken)
    {
        var parts = arn.Split(':', 7);
        if (parts.Length != 7 || parts[0] != "arn" || parts[2] != "cloudwatch" || parts[5] != "alarm" || parts[6].Length == 0)
        {
            throw CloudWatchErrors.Invalid("ResourceARN", arn);
        }

        var alarm = parts[3] == request.Region && parts[4] == request.Caller.AccountId
            ? await CloudWatch.Repository.GetAlarmAsync(parts[4], parts[3], parts[6], cancellationToken)
            : null;
        return alarm ?? throw new Core.Errors.AwsException(CloudWatchErrors.ResourceNotFoundException, $"Alarm {parts[6]} does not exist.")
        {
            Fields = [new("ResourceType", "alarm"), new("ResourceId", parts[6])],
        };
    }
}
