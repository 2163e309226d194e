using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.CloudWatch;

/// <summary>What CloudWatch's operations, its alarm evaluation and its jobs share.</summary>
public sealed class CloudWatchContext(CloudWatchRepository repository, TimeProvider time)
{
    /// <summary>The service principal CloudWatch publishes to SNS topics as (a topic's policy must allow it).</summary>
    public const string ServicePrincipal = "cloudwatch.amazonaws.com";

    public CloudWatchRepository Repository { get; } = repository;

    public TimeProvider Time { get; } = time;

    /// <summary>The in-process SNS publisher alarm actions go through; null leaves actions unexecuted (recorded as failed).</summary>
    public Sns.SnsServicePublisher? Notifications { get; set; }

    /// <summary>Metric alarms an account may have in one region (PutMetricAlarm answers LimitExceeded past it).</summary>
    public int AlarmQuota { get; set; } = 10_000;

    public static string AlarmArn(string region, string accountId, string name) => $"arn:aws:cloudwatch:{region}:{accountId}:alarm:{name}";
}
