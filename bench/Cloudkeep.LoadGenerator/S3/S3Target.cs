using System.Globalization;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>One server under test: a name for the tables, its endpoint, its PID (for RSS) and the key to sign with.</summary>
internal sealed record S3Target(string Name, Uri Endpoint, int ProcessId, Credentials Credentials)
{
    /// <summary>
    /// Parses <c>name=Cloudkeep,endpoint=http://127.0.0.1:9000/,pid=1234,access-key=AKIA...,secret-key=...</c>.
    /// The keys are throw-away keys of servers the harness started on loopback for this run.
    /// </summary>
    public static S3Target Parse(string spec)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(part[..equals], part[(equals + 1)..]))
            {
                throw new ArgumentException($"--target: '{part}' is not a new name=value pair");
            }
        }

        string Field(string name) => fields.Remove(name, out var value) && value.Length > 0
            ? value
            : throw new ArgumentException($"--target needs {name}=");
        var target = new S3Target(
            Field("name"),
            Uri.TryCreate(Field("endpoint"), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"
                ? endpoint
                : throw new ArgumentException("--target endpoint= must be an absolute http(s) URL"),
            int.TryParse(Field("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
                ? pid
                : throw new ArgumentException("--target pid= must be a positive number"),
            new Credentials(Field("access-key"), Field("secret-key")));
        return fields.Count == 0 ? target : throw new ArgumentException($"--target: unknown {string.Join(", ", fields.Keys)}");
    }
}
