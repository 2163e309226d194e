using System.Globalization;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Cloudkeep.Services.Route53;
using Cloudkeep.Services.Route53.Dns;

namespace Cloudkeep.Server.Dns;

/// <summary>
/// Turns a <see cref="DnsAnswer"/> of record sets into a DNS response message: one wire record
/// per value, in ARSoft.Tools.Net's types. Values were checked when they were stored; one that
/// still does not parse is left out rather than answered wrong.
/// </summary>
internal static class DnsWire
{
    public static void Fill(DnsMessage response, DnsAnswer answer)
    {
        response.IsAuthoritiveAnswer = answer.Authoritative;
        response.IsRecursionAllowed = false;
        response.ReturnCode = answer.Outcome switch
        {
            DnsOutcome.NameError => ReturnCode.NxDomain,
            DnsOutcome.Refused => ReturnCode.Refused,
            _ => ReturnCode.NoError,
        };
        Add(response.AnswerRecords, answer.Answer);
        Add(response.AuthorityRecords, answer.Authority);
        Add(response.AdditionalRecords, answer.Additional);
    }

    /// <summary>The question's name and type as Route 53 keeps them ("www.example.com.", "A"); null for a type Cloudkeep does not serve.</summary>
    public static (string Name, string Type) Question(DnsQuestion question)
    {
        var name = question.Name.ToString().ToLowerInvariant();
        if (!name.EndsWith('.'))
        {
            name += ".";
        }

        return (name, question.RecordType switch
        {
            RecordType.A => "A",
            RecordType.Aaaa => "AAAA",
            RecordType.CName => "CNAME",
            RecordType.Txt => "TXT",
            RecordType.Mx => "MX",
            RecordType.Ns => "NS",
            RecordType.Soa => "SOA",
            RecordType.Srv => "SRV",
            RecordType.CAA => "CAA",
            RecordType.Ptr => "PTR",
            RecordType.Any => "ANY",
            var other => other.ToString().ToUpperInvariant(),
        });
    }

    private static void Add(List<DnsRecordBase> section, IReadOnlyList<DnsRecordSet> sets)
    {
        foreach (var (owner, set, ttl) in sets)
        {
            var name = DomainName.Parse(owner);
            var seconds = (int)Math.Min(ttl, int.MaxValue);
            foreach (var value in set.Values)
            {
                if (Record(name, seconds, set.Type, value) is { } record)
                {
                    section.Add(record);
                }
            }
        }
    }

    private static DnsRecordBase? Record(DomainName name, int ttl, string type, string value)
    {
        try
        {
            switch (type)
            {
                case "A" or "AAAA":
                    var address = IPAddress.Parse(value);
                    return type == "A" ? new ARecord(name, ttl, address) : new AaaaRecord(name, ttl, address);
                case "CNAME":
                    return new CNameRecord(name, ttl, DomainName.Parse(value));
                case "NS":
                    return new NsRecord(name, ttl, DomainName.Parse(value));
                case "PTR":
                    return new PtrRecord(name, ttl, DomainName.Parse(value));
                case "TXT":
                    return new TxtRecord(name, ttl, RecordValues.CharacterStrings(value) ?? [value]);
                case "MX" when RecordValues.Fields(value, 2) is [var preference, var exchange]:
                    return new MxRecord(name, ttl, UShort(preference), DomainName.Parse(exchange));
                case "SRV" when RecordValues.Fields(value, 4) is [var priority, var weight, var port, var target]:
                    return new SrvRecord(name, ttl, UShort(priority), UShort(weight), UShort(port), DomainName.Parse(target));
                case "SOA" when RecordValues.Fields(value, 7) is [var master, var responsible, var serial, var refresh, var retry, var expire, var minimum]:
                    return new SoaRecord(name, ttl, DomainName.Parse(master), DomainName.Parse(responsible), uint.Parse(serial, CultureInfo.InvariantCulture),
                        Int(refresh), Int(retry), Int(expire), Int(minimum));
                case "CAA":
                    var parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                    return new CAARecord(name, ttl, byte.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], RecordValues.CharacterStrings(parts[2])?[0] ?? parts[2]);
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static ushort UShort(string text) => ushort.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Int(string text) => (int)Math.Min(uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture), int.MaxValue);
}
