using System.Text.Json;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>
/// Every CloudWatch operation Cloudkeep serves, through boto3, in each protocol the model offers
/// (json, which botocore picks; rpc-v2-cbor and query, by a model copy naming only that one): the
/// same calls give the same answers, and bad input gets AWS's error codes in all three.
/// </summary>
public sealed class CloudWatchBoto3Tests(CloudWatchFixture fixture) : IClassFixture<CloudWatchFixture>
{
    /// <summary>Bad input, a call and the code CloudWatch answers it with (the model's and the API reference's names).</summary>
    private static readonly (string Case, string Call, string Code)[] BadInput =
    [
        ("reserved namespace", "cw.put_metric_data, Namespace='AWS/EC2', MetricData=[{'MetricName': 'm', 'Value': 1}]", "InvalidParameterValue"),
        ("value and values", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'Values': [1]}]", "InvalidParameterCombination"),
        ("value and statistic set", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'StatisticValues': {'SampleCount': 1, 'Sum': 1, 'Minimum': 1, 'Maximum': 1}}]", "InvalidParameterCombination"),
        ("values and counts of other sizes", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Values': [1, 2], 'Counts': [1]}]", "InvalidParameterValue"),
        ("no value at all", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm'}]", "MissingParameter"),
        ("no metric data", "cw.put_metric_data, Namespace=NS", "MissingParameter"),
        ("three weeks old", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'Timestamp': NOW - 21 * 86400}]", "InvalidParameterValue"),
        ("three hours ahead", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'Timestamp': NOW + 3 * 3600}]", "InvalidParameterValue"),
        ("storage resolution 5", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'StorageResolution': 5}]", "InvalidParameterValue"),
        ("infinite value", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': float('inf')}]", "InvalidParameterValue"),
        ("minimum above maximum", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'StatisticValues': {'SampleCount': 1, 'Sum': 1, 'Minimum': 5, 'Maximum': 1}}]", "InvalidParameterValue"),
        ("dimension twice", "cw.put_metric_data, Namespace=NS, MetricData=[{'MetricName': 'm', 'Value': 1, 'Dimensions': [{'Name': 'a', 'Value': '1'}, {'Name': 'a', 'Value': '2'}]}]", "InvalidParameterValue"),
        ("no statistics", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW - 600, EndTime=NOW, Period=60", "MissingParameter"),
        ("statistics and percentiles", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW - 600, EndTime=NOW, Period=60, Statistics=['Sum'], ExtendedStatistics=['p90']", "InvalidParameterCombination"),
        ("period 7", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW - 600, EndTime=NOW, Period=7, Statistics=['Sum']", "InvalidParameterValue"),
        ("over 1440 points", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW - 86400, EndTime=NOW, Period=1, Statistics=['Sum']", "InvalidParameterCombination"),
        ("start after end", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW, EndTime=NOW - 600, Period=60, Statistics=['Sum']", "InvalidParameterValue"),
        ("bad percentile", "cw.get_metric_statistics, Namespace=NS, MetricName='m', StartTime=NOW - 600, EndTime=NOW, Period=60, ExtendedStatistics=['p101']", "InvalidParameterValue"),
        ("metric math", "cw.get_metric_data, MetricDataQueries=[{'Id': 'e1', 'Expression': 'SUM(METRICS())'}], StartTime=NOW - 600, EndTime=NOW", "InvalidParameterValue"),
        ("query id with a capital", "cw.get_metric_data, MetricDataQueries=[{'Id': 'M1', 'MetricStat': {'Metric': {'Namespace': NS, 'MetricName': 'm'}, 'Period': 60, 'Stat': 'Sum'}}], StartTime=NOW - 600, EndTime=NOW", "InvalidParameterValue"),
        ("bad next token", "cw.list_metrics, NextToken='not-a-token'", "InvalidNextToken"),
        ("alarm without period", "cw.put_metric_alarm, AlarmName='bad', Namespace=NS, MetricName='m', Statistic='Sum', EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold'", "MissingParameter"),
        ("alarm with both statistics", "cw.put_metric_alarm, AlarmName='bad', Namespace=NS, MetricName='m', Statistic='Sum', ExtendedStatistic='p90', Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold'", "InvalidParameterCombination"),
        ("alarm treating missing data oddly", "cw.put_metric_alarm, AlarmName='bad', Namespace=NS, MetricName='m', Statistic='Sum', Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold', TreatMissingData='sometimes'", "InvalidParameterValue"),
        ("more datapoints than periods", "cw.put_metric_alarm, AlarmName='bad', Namespace=NS, MetricName='m', Statistic='Sum', Period=60, EvaluationPeriods=1, DatapointsToAlarm=2, Threshold=1, ComparisonOperator='GreaterThanThreshold'", "InvalidParameterValue"),
        ("alarm period 45", "cw.put_metric_alarm, AlarmName='bad', Namespace=NS, MetricName='m', Statistic='Sum', Period=45, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold'", "InvalidParameterValue"),
        ("description too long", "cw.put_metric_alarm, AlarmName='bad', AlarmDescription='x' * 1025, Namespace=NS, MetricName='m', Statistic='Sum', Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold'", "ValidationError"),
        ("delete an alarm that is not", "cw.delete_alarms, AlarmNames=['no-such-alarm']", "ResourceNotFound"),
        ("set the state of an alarm that is not", "cw.set_alarm_state, AlarmName='no-such-alarm', StateValue='OK', StateReason='r'", "ResourceNotFound"),
        ("reason data that is not JSON", "cw.set_alarm_state, AlarmName=ALARM, StateValue='OK', StateReason='r', StateReasonData='{not json'", "InvalidFormat"),
        ("names and prefix", "cw.describe_alarms, AlarmNames=['a'], AlarmNamePrefix='a'", "InvalidParameterCombination"),
        ("tag an alarm that is not", "cw.tag_resource, ResourceARN='arn:aws:cloudwatch:eu-west-1:111122223333:alarm:no-such-alarm', Tags=[{'Key': 'k', 'Value': 'v'}]", "ResourceNotFoundException"),
        ("tag what is not an alarm", "cw.list_tags_for_resource, ResourceARN='arn:aws:s3:::bucket'", "InvalidParameterValue"),
        ("reserved tag key", "cw.tag_resource, ResourceARN=ALARM_ARN, Tags=[{'Key': 'aws:x', 'Value': 'v'}]", "InvalidParameterValue"),
    ];

    public static TheoryData<string> Protocols() => [.. CloudWatchProtocols.All];

    [Theory]
    [MemberData(nameof(Protocols))]
    public Task EveryOperation_InEachProtocol_AnswersAsCloudWatchDoes(string protocol) => EveryOperationAsync(fixture.Server, protocol);

    /// <summary>Each operation once, checked: also run against a PostgreSQL-backed server.</summary>
    internal static async Task EveryOperationAsync(Cloudkeep.Testing.TestServer server, string protocol)
    {
        var ns = CloudWatchFixture.Unique("Boto3");
        var alarm = CloudWatchFixture.Unique("alarm");
        var result = await CloudWatchProtocols.Boto3Async(server, protocol, $$$"""
            import time, datetime
            NS = '{{{ns}}}'
            now = int(time.time()) // 60 * 60 - 60
            dims = [{'Name': 'Service', 'Value': 'api'}]
            cw.put_metric_data(Namespace=NS, MetricData=[
                {'MetricName': 'Latency', 'Dimensions': dims, 'Timestamp': now, 'Value': 10.0, 'Unit': 'Milliseconds'},
                {'MetricName': 'Latency', 'Dimensions': dims, 'Timestamp': now + 5, 'Values': [20.0, 30.0], 'Counts': [1.0, 2.0], 'Unit': 'Milliseconds'},
                {'MetricName': 'Latency', 'Dimensions': dims, 'Timestamp': now + 10, 'StatisticValues': {'SampleCount': 2, 'Sum': 100, 'Minimum': 40, 'Maximum': 60}, 'Unit': 'Milliseconds'},
                {'MetricName': 'Hits', 'Timestamp': now + 1, 'Value': 1.0, 'StorageResolution': 1},
                {'MetricName': 'Hits', 'Timestamp': now + 2, 'Value': 2.0, 'StorageResolution': 1},
            ])
            stats = cw.get_metric_statistics(Namespace=NS, MetricName='Latency', Dimensions=dims, StartTime=now - 60, EndTime=now + 120, Period=60,
                Statistics=['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'])
            p = cw.get_metric_statistics(Namespace=NS, MetricName='Hits', StartTime=now - 60, EndTime=now + 120, Period=1, ExtendedStatistics=['p50'])
            data = cw.get_metric_data(MetricDataQueries=[
                {'Id': 'hits', 'MetricStat': {'Metric': {'Namespace': NS, 'MetricName': 'Hits'}, 'Period': 1, 'Stat': 'Sum'}},
                {'Id': 'hidden', 'ReturnData': False, 'MetricStat': {'Metric': {'Namespace': NS, 'MetricName': 'Hits'}, 'Period': 60, 'Stat': 'Sum'}},
            ], StartTime=now - 60, EndTime=now + 120)
            listed = cw.list_metrics(Namespace=NS, Dimensions=[{'Name': 'Service'}])
            cw.put_metric_alarm(AlarmName='{{{alarm}}}', Namespace=NS, MetricName='Latency', Dimensions=dims, Statistic='Maximum', Period=60, EvaluationPeriods=2,
                Threshold=50, ComparisonOperator='GreaterThanThreshold', AlarmDescription='slow', Tags=[{'Key': 'team', 'Value': 'web'}])
            arn = cw.describe_alarms(AlarmNames=['{{{alarm}}}'])['MetricAlarms'][0]['AlarmArn']
            cw.disable_alarm_actions(AlarmNames=['{{{alarm}}}'])
            disabled = cw.describe_alarms(AlarmNamePrefix='{{{alarm}}}')['MetricAlarms'][0]['ActionsEnabled']
            cw.enable_alarm_actions(AlarmNames=['{{{alarm}}}'])
            cw.set_alarm_state(AlarmName='{{{alarm}}}', StateValue='ALARM', StateReason='testing', StateReasonData='{"a": 1}')
            described = cw.describe_alarms(AlarmNames=['{{{alarm}}}'], StateValue='ALARM')['MetricAlarms'][0]
            for_metric = cw.describe_alarms_for_metric(Namespace=NS, MetricName='Latency', Dimensions=dims)['MetricAlarms']
            cw.tag_resource(ResourceARN=arn, Tags=[{'Key': 'env', 'Value': 'prod'}])
            cw.untag_resource(ResourceARN=arn, TagKeys=['team'])
            tags = cw.list_tags_for_resource(ResourceARN=arn)['Tags']
            history = cw.describe_alarm_history(AlarmName='{{{alarm}}}', HistoryItemType='StateUpdate')['AlarmHistoryItems']
            cw.delete_alarms(AlarmNames=['{{{alarm}}}'])
            left = cw.describe_alarms(AlarmNames=['{{{alarm}}}'])['MetricAlarms']
            def norm(x):
                if isinstance(x, bool) or isinstance(x, str) or x is None:
                    return x
                if isinstance(x, (int, float)):
                    return round(float(x), 4)
                if isinstance(x, dict):
                    return {k: norm(v) for k, v in x.items()}
                return [norm(v) for v in x]
            print(json.dumps(norm({
                'stats': [{k: v for k, v in d.items() if k != 'Timestamp'} for d in stats['Datapoints']],
                'percentile': [d['ExtendedStatistics'] for d in p['Datapoints']],
                'data': [(r['Id'], r['Values'], r['StatusCode'], len(r['Timestamps'])) for r in data['MetricDataResults']],
                'listed': [(m['MetricName'], m['Dimensions']) for m in listed['Metrics']],
                'arn': arn, 'disabled': disabled,
                'state': (described['StateValue'], described['StateReason'], described['StateReasonData'], described['AlarmDescription'], described['Threshold']),
                'for_metric': [a['AlarmName'] for a in for_metric],
                'tags': tags, 'history': [h['HistorySummary'] for h in history], 'left': left,
            }), sort_keys=True))
            """);

        Assert.Equal(
            """[{"Average":31.6667,"Maximum":60.0,"Minimum":10.0,"SampleCount":6.0,"Sum":190.0,"Unit":"Milliseconds"}]""",
            result.GetProperty("stats").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("""[{"p50":1.0},{"p50":2.0}]""", result.GetProperty("percentile").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("""[["hits",[2.0,1.0],"Complete",2.0]]""", result.GetProperty("data").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("""[["Latency",[{"Name":"Service","Value":"api"}]]]""", result.GetProperty("listed").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal($"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:{alarm}", result.GetProperty("arn").GetString());
        Assert.False(result.GetProperty("disabled").GetBoolean());
        Assert.Equal("""["ALARM","testing","{\"a\":1}","slow",50.0]""", result.GetProperty("state").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal(alarm, result.GetProperty("for_metric")[0].GetString());
        Assert.Equal("""[{"Key":"env","Value":"prod"}]""", result.GetProperty("tags").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("Alarm updated from INSUFFICIENT_DATA to ALARM", result.GetProperty("history")[0].GetString());
        Assert.Equal(0, result.GetProperty("left").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task BadInput_InEachProtocol_GetsCloudWatchsErrorCodes(string protocol)
    {
        var alarm = CloudWatchFixture.Unique("bad-input");
        var cases = string.Join(",\n", BadInput.Select(c => $"    {JsonSerializer.Serialize(c.Case)}: code({c.Call})"));
        var result = await CloudWatchProtocols.Boto3Async(fixture.Server, protocol, $$$"""
            import time
            NS = 'BadInput'
            NOW = int(time.time())
            ALARM = '{{{alarm}}}'
            cw.put_metric_alarm(AlarmName=ALARM, Namespace=NS, MetricName='m', Statistic='Sum', Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanThreshold')
            ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:' + ALARM
            print(json.dumps({
            {{{cases}}}
            }))
            """);

        var wrong = BadInput.Where(c => result.GetProperty(c.Case).GetString() != c.Code)
            .Select(c => $"{c.Case}: expected {c.Code}, got {result.GetProperty(c.Case).GetString()}").ToList();
        Assert.True(wrong.Count == 0, $"{protocol}:\n" + string.Join("\n", wrong));
    }
}
