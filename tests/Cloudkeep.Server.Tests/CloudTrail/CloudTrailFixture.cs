using System.Text.Json;
using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>One server for a CloudTrail test class, with the management account's root as the AWS CLI.</summary>
public class CloudTrailFixture : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public TestServer Server { get; private set; } = null!;

    public Cli Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        Root = Cli.Root(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// Waits (events are stored about a second after the request) until LookupEvents, filtered by one
    /// attribute in one region, lists an event <paramref name="match"/> accepts; its CloudTrailEvent record.
    /// </summary>
    public static async Task<JsonElement> WaitForEventAsync(Cli cli, string region, string key, string value, Func<JsonElement, bool>? match = null)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var events = await cli.RunAsync("cloudtrail", "lookup-events", "--region", region, "--lookup-attributes", $"AttributeKey={key},AttributeValue={value}");
            foreach (var e in events.GetProperty("Events").EnumerateArray())
            {
                var record = JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement.Clone();
                if (match is null || match(record))
                {
                    return record;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No {key}={value} event in {region} within 20 seconds.");
            await Task.Delay(250);
        }
    }

    /// <summary>Every stored record, read beside the running server from its metadata store (either engine).</summary>
    public IReadOnlyList<string> AllRecords()
    {
        var store = Server.Server.Services.GetRequiredService<IMetadataStore>();
        using var connection = store.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM cloudtrail_events";
        using var reader = command.ExecuteReader();
        var records = new List<string>();
        while (reader.Read())
        {
            records.Add(reader.GetString(0));
        }

        return records;
    }

    /// <summary>A bucket whose policy lets CloudTrail write, as the CloudTrail User Guide's example policy does.</summary>
    public Task CreateTrailBucketAsync(string bucket) => new CloudTrailFixtureFor(Server, Root).CreateTrailBucketAsync(bucket);
}

/// <summary>The fixture's set-up steps for a server a test class starts itself.</summary>
public sealed record CloudTrailFixtureFor(TestServer Server, Cli Root)
{
    public async Task CreateTrailBucketAsync(string bucket)
    {
        await Root.RunAsync("s3api", "create-bucket", "--bucket", bucket, "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new { Sid = "AWSCloudTrailAclCheck", Effect = "Allow", Principal = new { Service = "cloudtrail.amazonaws.com" }, Action = "s3:GetBucketAcl", Resource = $"arn:aws:s3:::{bucket}" },
                new
                {
                    Sid = "AWSCloudTrailWrite", Effect = "Allow", Principal = new { Service = "cloudtrail.amazonaws.com" }, Action = "s3:PutObject",
                    Resource = $"arn:aws:s3:::{bucket}/AWSLogs/{Server.AccountId}/*",
                    Condition = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, string> { ["s3:x-amz-acl"] = "bucket-owner-full-control" } },
                },
            },
        });
        await Root.RunAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy);
    }
}

public sealed class CloudTrailFixtureOnPostgres : CloudTrailFixture
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
