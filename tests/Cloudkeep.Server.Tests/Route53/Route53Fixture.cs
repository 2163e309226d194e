using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// One server with its DNS listener for a test class, on a clock the GetChange tests can move, with
/// the management account's root as the AWS CLI. Each test makes its own zones (with names of its
/// own), so tests do not see each other's records.
/// </summary>
public sealed class Route53Fixture : IAsyncLifetime
{
    public ShiftableClock Clock { get; } = new();

    public TestServer Server { get; private set; } = null!;

    public Cli Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(time: Clock, dns: true);
        Root = Cli.Root(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Creates a public zone through the CLI; its bare id.</summary>
    public static async Task<string> CreateZoneAsync(Cli cli, string name)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var created = await cli.RunAsync("route53", "create-hosted-zone", "--name", name, "--caller-reference", Guid.NewGuid().ToString("N"));
        return created.GetProperty("HostedZone").GetProperty("Id").GetString()!["/hostedzone/".Length..];
    }

    /// <summary>Applies one change batch (JSON) through the CLI.</summary>
    public static Task<JsonElement> ChangeAsync(Cli cli, string zoneId, string batch)
    {
        ArgumentNullException.ThrowIfNull(cli);
        return cli.RunAsync("route53", "change-resource-record-sets", "--hosted-zone-id", zoneId, "--change-batch", batch);
    }

    /// <summary>A batch of one change of one simple record set.</summary>
    public static string Batch(string action, string name, string type, long ttl, params string[] values) =>
        JsonSerializer.Serialize(new
        {
            Changes = new[]
            {
                new { Action = action, ResourceRecordSet = new { Name = name, Type = type, TTL = ttl, ResourceRecords = values.Select(v => new { Value = v }).ToArray() } },
            },
        });

    /// <summary>The zone's record sets as "name type ttl value|value" lines, in the order the API lists them.</summary>
    public static async Task<List<string>> RecordLinesAsync(Cli cli, string zoneId)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var listed = await cli.RunAsync("route53", "list-resource-record-sets", "--hosted-zone-id", zoneId);
        return [.. listed.GetProperty("ResourceRecordSets").EnumerateArray().Select(s =>
            $"{s.GetProperty("Name").GetString()} {s.GetProperty("Type").GetString()} {s.GetProperty("TTL").GetInt64()} "
            + string.Join("|", s.GetProperty("ResourceRecords").EnumerateArray().Select(r => r.GetProperty("Value").GetString())))];
    }
}
