using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Cloudkeep.Client;

/// <summary>
/// Route 53 over REST-XML (2013-04-01, SigV4 service "route53", us-east-1, a global service):
/// there is no AWSSDK.Route53 package here. Only what estate-as-code needs: zones by name, their
/// record sets, one change batch at a time.
/// </summary>
public sealed class Route53Client(HttpClient http, Uri endpoint, AWSCredentials credentials, TimeProvider time)
{
    public static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>One hosted zone: its bare id, name (with the trailing dot), whether it is private, and, once read, its name servers.</summary>
    public sealed record Zone(string Id, string Name, bool Private);

    /// <summary>One record set (simple or weighted routing).</summary>
    public sealed record RecordSet(string Name, string Type, long Ttl, IReadOnlyList<string> Values, string? SetIdentifier = null, long? Weight = null);

    public async Task<XElement> CallAsync(HttpMethod method, string path, XElement? body, CancellationToken cancellationToken, params (string Name, string Value)[] query)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = new UriBuilder(new Uri(endpoint, path))
        {
            Query = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}")),
        }.Uri;
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting));
        using var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        }

        SigV4.Sign(request, bytes, await credentials.GetCredentialsAsync(), "us-east-1", "route53", time.GetUtcNow());
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement? root;
        try
        {
            root = text.Length == 0 ? new XElement(Ns + "Empty") : XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            root = null;
        }

        if (root is null)
        {
            throw new UnreadableAnswerException($"Route 53 {method} {path}: HTTP {(int)response.StatusCode} with an answer that is not XML");
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error") ?? root;
            throw new Route53Exception(
                path,
                error.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? $"HTTP{(int)response.StatusCode}",
                error.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "");
        }

        return root;
    }

    /// <summary>Every zone of the account, in ListHostedZonesByName's order.</summary>
    public async Task<List<Zone>> ListZonesAsync(CancellationToken cancellationToken)
    {
        var zones = new List<Zone>();
        (string Name, string Value)[] query = [];
        while (true)
        {
            var page = await CallAsync(HttpMethod.Get, "/2013-04-01/hostedzonesbyname", null, cancellationToken, query);
            zones.AddRange(page.Element(Ns + "HostedZones")!.Elements(Ns + "HostedZone").Select(ZoneOf));
            if (page.Element(Ns + "IsTruncated")?.Value != "true")
            {
                return zones;
            }

            query = [("dnsname", page.Element(Ns + "NextDNSName")!.Value), ("hostedzoneid", page.Element(Ns + "NextHostedZoneId")!.Value)];
        }
    }

    /// <summary>The account's public zone of that name (the first, should there be several), or null.</summary>
    public async Task<Zone?> FindPublicZoneAsync(string name, CancellationToken cancellationToken)
    {
        var fqdn = name.EndsWith('.') ? name : name + ".";
        var page = await CallAsync(HttpMethod.Get, "/2013-04-01/hostedzonesbyname", null, cancellationToken, ("dnsname", fqdn));
        return page.Element(Ns + "HostedZones")!.Elements(Ns + "HostedZone").Select(ZoneOf)
            .FirstOrDefault(z => string.Equals(z.Name, fqdn, StringComparison.OrdinalIgnoreCase) && !z.Private);
    }

    public async Task<IReadOnlyList<string>> NameServersAsync(string zoneId, CancellationToken cancellationToken)
    {
        var zone = await CallAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{zoneId}", null, cancellationToken);
        return [.. zone.Element(Ns + "DelegationSet")?.Element(Ns + "NameServers")?.Elements(Ns + "NameServer").Select(e => e.Value) ?? []];
    }

    public async Task<Zone> CreateZoneAsync(string name, string callerReference, string? comment, CancellationToken cancellationToken)
    {
        var body = new XElement(Ns + "CreateHostedZoneRequest", new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", callerReference));
        if (comment is not null)
        {
            body.Add(new XElement(Ns + "HostedZoneConfig", new XElement(Ns + "Comment", comment)));
        }

        var created = await CallAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body, cancellationToken);
        return ZoneOf(created.Element(Ns + "HostedZone")!);
    }

    public Task DeleteZoneAsync(string zoneId, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Delete, $"/2013-04-01/hostedzone/{zoneId}", null, cancellationToken);

    /// <summary>Every record set of the zone, in Route 53's order.</summary>
    public async Task<List<RecordSet>> ListRecordSetsAsync(string zoneId, CancellationToken cancellationToken)
    {
        var sets = new List<RecordSet>();
        (string Name, string Value)[] query = [];
        while (true)
        {
            var page = await CallAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{zoneId}/rrset", null, cancellationToken, query);
            sets.AddRange(page.Element(Ns + "ResourceRecordSets")!.Elements(Ns + "ResourceRecordSet").Select(s => new RecordSet(
                s.Element(Ns + "Name")!.Value,
                s.Element(Ns + "Type")!.Value,
                long.Parse(s.Element(Ns + "TTL")?.Value ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                [.. s.Element(Ns + "ResourceRecords")?.Elements(Ns + "ResourceRecord").Select(r => r.Element(Ns + "Value")!.Value) ?? []],
                s.Element(Ns + "SetIdentifier")?.Value,
                s.Element(Ns + "Weight") is { } weight ? long.Parse(weight.Value, System.Globalization.CultureInfo.InvariantCulture) : null)));
            if (page.Element(Ns + "IsTruncated")?.Value != "true")
            {
                return sets;
            }

            query = page.Element(Ns + "NextRecordIdentifier") is { } identifier
                ? [("name", page.Element(Ns + "NextRecordName")!.Value), ("type", page.Element(Ns + "NextRecordType")!.Value), ("identifier", identifier.Value)]
                : [("name", page.Element(Ns + "NextRecordName")!.Value), ("type", page.Element(Ns + "NextRecordType")!.Value)];
        }
    }

    /// <summary>Applies one batch of (action, record set) changes, all or nothing.</summary>
    public Task ChangeAsync(string zoneId, IEnumerable<(string Action, RecordSet Set)> changes, CancellationToken cancellationToken)
    {
        var body = new XElement(Ns + "ChangeResourceRecordSetsRequest",
            new XElement(Ns + "ChangeBatch",
                new XElement(Ns + "Changes", changes.Select(c => new XElement(Ns + "Change",
                    new XElement(Ns + "Action", c.Action),
                    new XElement(Ns + "ResourceRecordSet",
                        new XElement(Ns + "Name", c.Set.Name),
                        new XElement(Ns + "Type", c.Set.Type),
                        c.Set.SetIdentifier is null ? null : new XElement(Ns + "SetIdentifier", c.Set.SetIdentifier),
                        c.Set.Weight is null ? null : new XElement(Ns + "Weight", c.Set.Weight),
                        new XElement(Ns + "TTL", c.Set.Ttl),
                        new XElement(Ns + "ResourceRecords", c.Set.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))))))))));
        return CallAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{zoneId}/rrset/", body, cancellationToken);
    }

    private static Zone ZoneOf(XElement zone) => new(
        zone.Element(Ns + "Id")!.Value.Replace("/hostedzone/", "", StringComparison.Ordinal),
        zone.Element(Ns + "Name")!.Value,
        zone.Element(Ns + "Config")?.Element(Ns + "PrivateZone")?.Value == "true");
}

public sealed class Route53Exception(string path, string code, string message) : Exception($"Route 53 {path}: {code}: {message}")
{
    public string Code { get; } = code;
}
