using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Benchmarks.CloudTrail;

/// <summary>
/// What recording a request as a CloudTrail event costs, in its two halves (docs/performance.md,
/// "CloudTrail recording"): making the record on the request's path, and the writer storing a batch of
/// 1,000 of them in one SQLite transaction (reported per event).
/// </summary>
[MemoryDiagnoser]
public class AuditRecordingBenchmarks
{
    private const int BatchSize = 1_000;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);

    private long _made;
    private AuditCall _callerIdentity = null!;
    private AuditCall _assumeRole = null!;
    private CloudTrailEventRow[] _batch = [];
    private string _directory = "";
    private IMetadataStore _store = null!;
    private CloudTrailRepository _repository = null!;

    [GlobalSetup]
    public void Setup()
    {
        var user = new Caller(PrincipalKind.User, "218174061117", "arn:aws:iam::218174061117:user/loadgen", "AIDAEXAMPLEEXAMPLE01", "AKIAEXAMPLEEXAMPLE01");
        _callerIdentity = new AuditCall
        {
            Time = Now,
            Service = "sts",
            Operation = "GetCallerIdentity",
            Caller = user,
            Region = "us-east-1",
            RequestId = "5c1e7f0a-1d2b-4c3d-8e9f-0a1b2c3d4e5f",
            SourceIp = "127.0.0.1",
            UserAgent = "aws-cli/1.45.11 Python/3.11.7 Linux/6.18 botocore/1.43.11",
            Input = [],
            Output = new JsonObject { ["UserId"] = user.UserId, ["Account"] = user.AccountId, ["Arn"] = user.Arn },
        };
        _assumeRole = _callerIdentity with
        {
            Operation = "AssumeRole",
            Input = new JsonObject { ["RoleArn"] = "arn:aws:iam::218174061117:role/loadgen-target", ["RoleSessionName"] = "loadgen" },
            Output = new JsonObject
            {
                ["Credentials"] = new JsonObject
                {
                    ["AccessKeyId"] = "ASIA2A6X3ETKSE4WMYTV",
                    ["SecretAccessKey"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    ["SessionToken"] = new string('T', 600),
                    ["Expiration"] = Now.AddHours(1),
                },
                ["AssumedRoleUser"] = new JsonObject
                {
                    ["AssumedRoleId"] = "AROAEXAMPLEEXAMPLE000:loadgen",
                    ["Arn"] = "arn:aws:sts::218174061117:assumed-role/loadgen-target/loadgen",
                },
            },
        };
        _directory = Directory.CreateTempSubdirectory("ck-bench-trail-").FullName;
        _store = MetadataStoreFactory.Create(null, _directory);
        _store.MigrateAsync(TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        _repository = new CloudTrailRepository(_store);
    }

    [IterationSetup(Target = nameof(Store_PerEvent))]
    public void NewBatch()
    {
        // Fresh event ids each time (a stored id is skipped as a retry, which would cost less than an insert), and
        // time moving on as a server's does: a thousand events a second, so the indexes grow at their end.
        _batch = [.. Enumerable.Range(0, BatchSize).Select(i => ToRow(AuditRecords.Build((i % 2 == 0 ? _callerIdentity : _assumeRole) with { Time = Now.AddMilliseconds(_made++) })[0]))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public IReadOnlyList<AuditEvent> Build_GetCallerIdentity() => AuditRecords.Build(_callerIdentity);

    [Benchmark]
    public IReadOnlyList<AuditEvent> Build_AssumeRole() => AuditRecords.Build(_assumeRole);

    /// <summary>A batch of 1,000 events (half GetCallerIdentity, half AssumeRole) stored in one transaction; per event.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task Store_PerEvent() => _repository.AppendEventsAsync(_batch, CancellationToken.None);

    private static CloudTrailEventRow ToRow(AuditEvent e) =>
        new(e.EventId, e.RecipientAccountId, e.Region, e.EventTime, e.EventName, e.EventSource, e.Username, e.AccessKeyId, e.ReadOnly, e.Management, e.Record, e.Resources);
}
