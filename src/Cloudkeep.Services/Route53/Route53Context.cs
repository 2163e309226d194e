using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53;

/// <summary>
/// What every Route 53 operation shares: the store, the clock, and the signal the DNS listener
/// watches so an answer never outlives the change that replaced it.
/// </summary>
public sealed class Route53Context
{
    /// <summary>
    /// How long GetChange answers PENDING after a change is submitted. Cloudkeep's DNS listener answers
    /// a change at once; the wait only keeps the PENDING → INSYNC sequence that tools (the CLI's
    /// resource-record-sets-changed waiter, Terraform) expect from AWS, where it takes up to a minute.
    /// </summary>
    public static readonly TimeSpan PropagationDelay = TimeSpan.FromSeconds(10);

    private long _version;

    public Route53Context(Route53Repository repository, TimeProvider time)
    {
        Repository = repository;
        Time = time;
    }

    public Route53Repository Repository { get; }

    public TimeProvider Time { get; }

    /// <summary>Goes up with every change to a zone or its records; the DNS listener's cache is good for one version.</summary>
    public long Version => Interlocked.Read(ref _version);

    public DateTimeOffset Now => Time.GetUtcNow();

    public void NoteChanged() => Interlocked.Increment(ref _version);

    /// <summary>
    /// The four name servers of a zone's delegation set, in AWS's pattern (one per top-level domain,
    /// numbered per zone) under Cloudkeep's own domain: every one of them is this server's DNS listener.
    /// </summary>
    public static IReadOnlyList<string> NameServersFor(string zoneId)
    {
        var number = BitConverter.ToUInt16(SHA256.HashData(Encoding.ASCII.GetBytes(zoneId)), 0) % 2048;
        return [$"ns-{number}.cloudkeep-dns.com.", $"ns-{number}.cloudkeep-dns.net.", $"ns-{number}.cloudkeep-dns.org.", $"ns-{number}.cloudkeep-dns.co.uk."];
    }

    /// <summary>The record sets a new zone starts with, as AWS makes them: NS (TTL 172800) and SOA (TTL 900) at the apex.</summary>
    public static IReadOnlyList<Route53RecordSet> ApexRecordSets(string name, IReadOnlyList<string> nameServers) =>
    [
        new(name, "NS", "", null, 172800, nameServers),
        new(name, "SOA", "", null, 900, [$"{nameServers[0]} cloudkeep-hostmaster.cloudkeep-dns.com. 1 7200 900 1209600 86400"]),
    ];

    /// <summary>A zone of the caller's account, or NoSuchHostedZone (another account's zone is not found, as in AWS).</summary>
    public async Task<Route53ZoneRecord> ZoneOfAsync(string accountId, string? idText, CancellationToken cancellationToken)
    {
        var id = Route53Ids.Zone(idText) ?? throw Route53Errors.NoSuchHostedZone.ToException($"No hosted zone found with ID: {idText}");
        var zone = await Repository.GetZoneAsync(id, cancellationToken);
        return zone is not null && zone.AccountId == accountId
            ? zone
            : throw Route53Errors.NoSuchHostedZone.ToException($"No hosted zone found with ID: {id}");
    }

    public Route53ChangeRecord NewChange(string accountId, string? comment) => new(Route53Ids.NewChangeId(), accountId, comment, Now);
}
