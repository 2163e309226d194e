using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Logs;

/// <summary>What CloudWatch Logs' operations and its retention job share.</summary>
public sealed class LogsContext(LogsRepository repository, TimeProvider time)
{
    /// <summary>The retention periods PutRetentionPolicy accepts, in days.</summary>
    public static readonly IReadOnlySet<int> RetentionDays = new HashSet<int> { 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 };

    public LogsRepository Repository { get; } = repository;

    public TimeProvider Time { get; } = time;

    public static string GroupArn(string region, string accountId, string group) => $"arn:aws:logs:{region}:{accountId}:log-group:{group}";

    public static string StreamArn(string region, string accountId, string group, string stream) => $"arn:aws:logs:{region}:{accountId}:log-group:{group}:log-stream:{stream}";
}
