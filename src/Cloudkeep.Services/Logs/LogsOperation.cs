using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Logs;

/// <summary>
/// The shape CloudWatch Logs' operations share: action logs:&lt;Operation&gt;, resource the log
/// group's ARN (or a stream's, for operations on one stream's events), in the caller's account
/// and the request's region.
/// </summary>
public abstract partial class LogsOperation(LogsContext logs) : IOperationHandler
{
    public string Service => "logs";

    public virtual string Operation => GetType().Name;

    protected LogsContext Logs { get; } = logs;

    /// <summary>Whether the resource is the named stream rather than the group.</summary>
    protected virtual bool OnStream => false;

    public virtual ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var group = GroupNameOf(request.Input) ?? "*";
        // "This version of the ARN includes a trailing :* ... Use this version to refer to the ARN
        // in IAM policies ... for most API actions" (LogGroup.arn, CloudWatch Logs API reference).
        var resource = OnStream && request.Input.OptStr("logStreamName") is { } stream
            ? LogsContext.StreamArn(request.Region, request.Caller.AccountId, group, stream)
            : LogsContext.GroupArn(request.Region, request.Caller.AccountId, group) + ":*";
        return ValueTask.FromResult(new AuthorizationTarget("logs:" + Operation, [resource]));
    }

    public abstract ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken);

    /// <summary>logGroupName, or the group named by logGroupIdentifier (a name or an ARN).</summary>
    protected static string? GroupNameOf(JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.OptStr("logGroupName") is { } name)
        {
            return name;
        }

        var identifier = input.OptStr("logGroupIdentifier");
        var marker = identifier?.IndexOf(":log-group:", StringComparison.Ordinal) ?? -1;
        return marker < 0 ? identifier : identifier![(marker + ":log-group:".Length)..].Split(':')[0];
    }

    protected async Task<LogGroupRecord> GroupAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = GroupNameOf(request.Input) ?? throw LogsErrors.InvalidParameter.ToException("Either logGroupName or logGroupIdentifier must be given.");
        return await Logs.Repository.GetGroupAsync(request.Caller.AccountId, request.Region, name, cancellationToken)
            ?? throw LogsErrors.ResourceNotFound.ToException("The specified log group does not exist.");
    }

    protected static void CheckGroupName(string name)
    {
        if (!GroupName().IsMatch(name))
        {
            throw LogsErrors.InvalidParameter.ToException($"1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
    }

    protected static void CheckStreamName(string name)
    {
        if (name.Length is 0 or > 512 || name.Contains(':', StringComparison.Ordinal) || name.Contains('*', StringComparison.Ordinal))
        {
            throw LogsErrors.InvalidParameter.ToException($"1 validation error detected: Value '{name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*");
        }
    }

    protected static JsonObject GroupOutput(LogGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var arn = LogsContext.GroupArn(group.Region, group.AccountId, group.Name);
        var output = new JsonObject
        {
            ["logGroupName"] = group.Name,
            ["creationTime"] = group.CreatedAt.ToUnixTimeMilliseconds(),
            ["metricFilterCount"] = 0,
            ["arn"] = arn + ":*",
            ["storedBytes"] = 0,
            ["logGroupClass"] = "STANDARD",
            ["logGroupArn"] = arn,
        };
        if (group.RetentionDays is { } days)
        {
            output["retentionInDays"] = days;
        }

        return output;
    }

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupName();
}
