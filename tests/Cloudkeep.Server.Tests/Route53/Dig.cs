using System.Globalization;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Route53;

/// <summary>
/// dig (Debian's bind9-dnsutils) against the DNS listener, non-recursive as an iterative resolver
/// asks an authoritative server: the header's status and flags and each section's records, parsed
/// from dig's own text.
/// </summary>
public sealed record Dig(string Status, IReadOnlySet<string> Flags, IReadOnlyList<string> Answer, IReadOnlyList<string> Authority, IReadOnlyList<string> Additional, string Raw)
{
    public bool Authoritative => Flags.Contains("aa");

    public bool Truncated => Flags.Contains("tc");

    public static async Task<Dig> QueryAsync(int port, string name, string type, params string[] options)
    {
        var arguments = new List<string> { "@127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "+norecurse", "+time=5", "+tries=1" };
        arguments.AddRange(options);
        arguments.AddRange([name, type]);
        var result = await ProcessRunner.RunAsync("dig", arguments, timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"dig {string.Join(' ', arguments)}: {result.StandardError}{result.StandardOutput}");
        return Parse(result.StandardOutput);
    }

    /// <summary>Reads dig's default output: the HEADER line, the flags line, and the ANSWER, AUTHORITY and ADDITIONAL sections as "name ttl type data" lines.</summary>
    public static Dig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var status = "";
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["ANSWER"] = [], ["AUTHORITY"] = [], ["ADDITIONAL"] = [] };
        string? section = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Contains("status: ", StringComparison.Ordinal))
            {
                status = line[(line.IndexOf("status: ", StringComparison.Ordinal) + 8)..].Split(',')[0];
            }
            else if (line.StartsWith(";; flags:", StringComparison.Ordinal))
            {
                foreach (var flag in line[9..line.IndexOf(';', 9)].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    flags.Add(flag);
                }
            }
            else if (line.StartsWith(";; ", StringComparison.Ordinal) && line.EndsWith(" SECTION:", StringComparison.Ordinal))
            {
                section = line[3..^" SECTION:".Length];
            }
            else if (line.Length == 0)
            {
                section = null;
            }
            else if (section is not null && sections.TryGetValue(section, out var records) && !line.StartsWith(';'))
            {
                var fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                // name ttl class type data...: kept without the class.
                records.Add(string.Join(' ', new[] { fields[0], fields[1], fields[3] }.Concat(fields.Skip(4))));
            }
        }

        return new Dig(status, flags, sections["ANSWER"], sections["AUTHORITY"], sections["ADDITIONAL"], text);
    }
}
