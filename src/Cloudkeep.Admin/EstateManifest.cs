using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloudkeep.Admin;

/// <summary>One archived file: its name, length and SHA-256 (lower-case hex).</summary>
public sealed record ManifestEntry(string Name, long Length, string Sha256);

/// <summary>
/// The last thing in an archive: what it holds and the SHA-256 of each entry. <see cref="MasterKeyCheck"/> is an
/// HMAC of a fixed text under the estate's master key (never the key): restore uses it to tell whether the master
/// key an operator supplies is the one the estate's secrets are sealed with.
/// </summary>
public sealed record EstateManifest(
    int Format,
    DateTimeOffset Created,
    string Engine,
    int SchemaVersion,
    string? MasterKeyCheck,
    int Blobs,
    long BlobBytes,
    IReadOnlyList<ManifestEntry> Entries)
{
    public const string SqliteEntry = "metadata/cloudkeep.db.gz";
    public const string PostgresEntry = "metadata/postgres.sql.gz";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static EstateManifest Parse(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<EstateManifest>(json, Json) ?? throw new ArchiveException("the archive's manifest is empty");
        }
        catch (JsonException e)
        {
            throw new ArchiveException("the archive's manifest is not valid: " + e.Message, e);
        }
    }

    /// <summary>Every entry read must be listed with the same length and sum, and every listed one read: the reasons, all of them.</summary>
    public void Check(IReadOnlyList<ManifestEntry> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var problems = new List<string>();
        var listed = Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in read)
        {
            if (!listed.Remove(entry.Name, out var expected))
            {
                problems.Add($"{entry.Name} is not in the manifest");
            }
            else if (expected != entry)
            {
                problems.Add($"{entry.Name} has SHA-256 {entry.Sha256} ({entry.Length} bytes), the manifest says {expected.Sha256} ({expected.Length} bytes)");
            }
        }

        problems.AddRange(listed.Keys.Select(name => $"{name} is in the manifest but not in the archive"));
        if (problems.Count > 0)
        {
            throw new ArchiveException("the archive does not match its manifest: " + string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : ""));
        }
    }
}
