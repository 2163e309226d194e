using System.Text.Json;
using Cloudkeep.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Logs;

/// <summary>CloudWatch Logs through the AWS CLI: groups, streams, events, searching with filter patterns, retention, and the seed's logging users who may write to their group only.</summary>
public abstract class LogsTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private TestServer _server = null!;
    private Cli _root = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine), time: _clock, logsRetentionInterval: TimeSpan.FromMilliseconds(200));
        _root = Cli.Root(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    protected abstract MetadataEngine Engine { get; }

    // One instant per test, so the timestamps written and the ones expected agree.
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private long Now => _now;

    private string Events(params (long Offset, string Message)[] events) =>
        JsonSerializer.Serialize(events.Select(e => new { timestamp = Now + e.Offset, message = e.Message }));

    [Fact]
    public async Task Events_WrittenAndReadBack_InTimeOrder_FromTheHeadOrTheTail()
    {
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "/app/api");
        await _root.RunAsync("logs", "create-log-stream", "--log-group-name", "/app/api", "--log-stream-name", "web-1");
        await _root.RunAsync("logs", "put-log-events", "--log-group-name", "/app/api", "--log-stream-name", "web-1",
            "--log-events", Events((-3000, "first"), (-2000, "second"), (-1000, "third")));

        var head = await _root.RunAsync("logs", "get-log-events", "--log-group-name", "/app/api", "--log-stream-name", "web-1", "--start-from-head", "--limit", "2", "--no-paginate");
        Assert.Equal(["first", "second"], head.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var next = await _root.RunAsync("logs", "get-log-events", "--log-group-name", "/app/api", "--log-stream-name", "web-1", "--next-token", head.GetProperty("nextForwardToken").GetString()!, "--no-paginate");
        Assert.Equal(["third"], next.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        var tail = await _root.RunAsync("logs", "get-log-events", "--log-group-name", "/app/api", "--log-stream-name", "web-1", "--limit", "1", "--no-paginate");
        Assert.Equal(["third"], tail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));

        var stream = (await _root.RunAsync("logs", "describe-log-streams", "--log-group-name", "/app/api")).GetProperty("logStreams")[0];
        Assert.Equal("web-1", stream.GetProperty("logStreamName").GetString());
        Assert.Equal(Now - 3000, stream.GetProperty("firstEventTimestamp").GetInt64());
        var group = (await _root.RunAsync("logs", "describe-log-groups", "--log-group-name-prefix", "/app/")).GetProperty("logGroups")[0];
        Assert.Equal("arn:aws:logs:eu-west-1:111122223333:log-group:/app/api:*", group.GetProperty("arn").GetString());
    }

    [Theory]
    [InlineData("ERROR", new[] { "ERROR db down", "ERROR disk full" })]
    [InlineData("ERROR -disk", new[] { "ERROR db down" })]
    [InlineData("?WARN ?disk", new[] { "ERROR disk full", "WARN slow" })]
    [InlineData("\"db down\"", new[] { "ERROR db down" })]
    [InlineData("{ $.level = \"error\" && $.latency > 100 }", new[] { "{\"level\":\"error\",\"latency\":250}" })]
    [InlineData("{ $.user.name = \"ad*\" }", new[] { "{\"level\":\"info\",\"user\":{\"name\":\"admin\"}}" })]
    [InlineData("{ $.latency NOT EXISTS && $.level = \"info\" }", new[] { "{\"level\":\"info\",\"user\":{\"name\":\"admin\"}}" })]
    public async Task FilterLogEvents_MatchesAsTheFilterPatternSyntaxSays(string pattern, string[] expected)
    {
        var group = "/search/" + Guid.NewGuid().ToString("N")[..8];
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", group);
        await _root.RunAsync("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "a");
        await _root.RunAsync("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "b");
        await _root.RunAsync("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "a",
            "--log-events", Events((-5000, "ERROR db down"), (-3000, "WARN slow"), (-1000, "{\"level\":\"error\",\"latency\":250}")));
        await _root.RunAsync("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "b",
            "--log-events", Events((-4000, "ERROR disk full"), (-2000, "{\"level\":\"info\",\"user\":{\"name\":\"admin\"}}")));

        var found = await _root.RunAsync("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", pattern);

        Assert.Equal(expected, found.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task DeleteLogStream_RemovesTheStreamAndItsEvents_AndTheGroupStays()
    {
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "/app/jobs");
        foreach (var name in new[] { "nightly", "hourly" })
        {
            await _root.RunAsync("logs", "create-log-stream", "--log-group-name", "/app/jobs", "--log-stream-name", name);
            await _root.RunAsync("logs", "put-log-events", "--log-group-name", "/app/jobs", "--log-stream-name", name, "--log-events", Events((-1000, name + " ran")));
        }

        await _root.RunAsync("logs", "delete-log-stream", "--log-group-name", "/app/jobs", "--log-stream-name", "nightly");
        var streams = (await _root.RunAsync("logs", "describe-log-streams", "--log-group-name", "/app/jobs")).GetProperty("logStreams");
        Assert.Equal(["hourly"], streams.EnumerateArray().Select(s => s.GetProperty("logStreamName").GetString()));
        var found = (await _root.RunAsync("logs", "filter-log-events", "--log-group-name", "/app/jobs")).GetProperty("events");
        Assert.Equal(["hourly ran"], found.EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        Assert.Contains("ResourceNotFoundException", await _root.FailAsync("logs", "delete-log-stream", "--log-group-name", "/app/jobs", "--log-stream-name", "nightly"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_DeletesEventsOlderThanTheGroupKeeps()
    {
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "short-lived");
        await _root.RunAsync("logs", "create-log-stream", "--log-group-name", "short-lived", "--log-stream-name", "s");
        await _root.RunAsync("logs", "put-retention-policy", "--log-group-name", "short-lived", "--retention-in-days", "1");
        await _root.RunAsync("logs", "put-log-events", "--log-group-name", "short-lived", "--log-stream-name", "s", "--log-events", Events((-600_000, "old"), (0, "new")));
        // A day later on the server's clock; the CLI's signatures would then be skewed, so the
        // store is read directly.
        _clock.Offset += TimeSpan.FromDays(1) - TimeSpan.FromMinutes(5);
        var store = _server.Server.Services.GetRequiredService<Cloudkeep.Services.Logs.LogsContext>().Repository;

        for (var i = 0; i < 100; i++)
        {
            var left = await store.StreamEventsAsync("111122223333", "eu-west-1", "short-lived", "s", long.MinValue, long.MaxValue, (long.MinValue, 0), 10, CancellationToken.None);
            if (left.Select(e => e.Message).SequenceEqual(["new"]))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the expired event was not deleted");
    }

    [Fact]
    public async Task LoggingUser_WritesToItsGroupOnly()
    {
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "/digitalmarketplace/router");
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "/digitalmarketplace/api");
        var writer = await _root.CreateUserWithKeyAsync("router-logs");
        await _root.RunAsync("iam", "put-user-policy", "--user-name", "router-logs", "--policy-name", "write-router-logs", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:/digitalmarketplace/router:*"}]}""");

        await writer.RunAsync("logs", "create-log-stream", "--log-group-name", "/digitalmarketplace/router", "--log-stream-name", "nginx");
        await writer.RunAsync("logs", "put-log-events", "--log-group-name", "/digitalmarketplace/router", "--log-stream-name", "nginx", "--log-events", Events((0, "GET / 200")));

        Assert.Contains("AccessDeniedException", await writer.FailAsync("logs", "create-log-stream", "--log-group-name", "/digitalmarketplace/api", "--log-stream-name", "nginx"), StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", await writer.FailAsync("logs", "delete-log-group", "--log-group-name", "/digitalmarketplace/router"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> BadInput => new()
    {
        { "InvalidParameterException", ["logs", "create-log-group", "--log-group-name", "has space"] },
        { "ResourceAlreadyExistsException", ["logs", "create-log-group", "--log-group-name", "existing"] },
        { "ResourceNotFoundException", ["logs", "create-log-stream", "--log-group-name", "nowhere", "--log-stream-name", "s"] },
        { "InvalidParameterException", ["logs", "create-log-stream", "--log-group-name", "existing", "--log-stream-name", "a:b"] },
        { "ResourceAlreadyExistsException", ["logs", "create-log-stream", "--log-group-name", "existing", "--log-stream-name", "s"] },
        { "InvalidParameterException", ["logs", "put-retention-policy", "--log-group-name", "existing", "--retention-in-days", "2"] },
        { "ResourceNotFoundException", ["logs", "put-log-events", "--log-group-name", "existing", "--log-stream-name", "missing", "--log-events", "timestamp=1,message=m"] },
        { "InvalidParameterException", ["logs", "put-log-events", "--log-group-name", "existing", "--log-stream-name", "s", "--log-events", "[{\"timestamp\":2000,\"message\":\"b\"},{\"timestamp\":1000,\"message\":\"a\"}]"] },
        { "InvalidParameterException", ["logs", "filter-log-events", "--log-group-name", "existing", "--filter-pattern", "{ $.a = }"] },
        { "InvalidParameterException", ["logs", "filter-log-events", "--log-group-name", "existing", "--filter-pattern", "[ip, user]"] },
        { "ResourceNotFoundException", ["logs", "get-log-events", "--log-group-name", "existing", "--log-stream-name", "missing"] },
        { "ResourceNotFoundException", ["logs", "delete-log-group", "--log-group-name", "nowhere"] },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInput_AnswersTheServiceCode_AndChangesNothing(string code, string[] arguments)
    {
        await _root.RunAsync("logs", "create-log-group", "--log-group-name", "existing");
        await _root.RunAsync("logs", "create-log-stream", "--log-group-name", "existing", "--log-stream-name", "s");
        var before = JsonSerializer.Serialize(new object[]
        {
            await _root.RunAsync("logs", "describe-log-groups"),
            await _root.RunAsync("logs", "describe-log-streams", "--log-group-name", "existing"),
        });

        Assert.Contains($"({code})", await _root.FailAsync(arguments), StringComparison.Ordinal);
        Assert.Equal(before, JsonSerializer.Serialize(new object[]
        {
            await _root.RunAsync("logs", "describe-log-groups"),
            await _root.RunAsync("logs", "describe-log-streams", "--log-group-name", "existing"),
        }));
    }
}

public sealed class LogsTestsOnSqlite : LogsTests
{
    protected override MetadataEngine Engine => MetadataEngine.Sqlite;
}

public sealed class LogsTestsOnPostgres : LogsTests
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
