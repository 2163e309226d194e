using Cloudkeep.Protocol.SigV4;

namespace Cloudkeep.Protocol.Tests.SigV4;

/// <summary>Reads the raw HTTP request texts of the SigV4 test suite ("METHOD target HTTP/1.1", headers, blank line, body).</summary>
internal static class RawHttpRequest
{
    public static (SimpleSignableRequest Request, byte[] Body) Parse(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var blank = normalized.IndexOf("\n\n", StringComparison.Ordinal);
        var head = blank < 0 ? normalized : normalized[..blank];
        var body = blank < 0 ? "" : normalized[(blank + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var firstSpace = requestLine.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal);
        var method = requestLine[..firstSpace];
        var target = requestLine[(firstSpace + 1)..lastSpace];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? "" : target[(question + 1)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t' && headers.Count > 0)
            {
                // An obsolete folded continuation line: joined with a comma, as AWS's suite expects.
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "," + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        return (new SimpleSignableRequest(method, path, query, headers), System.Text.Encoding.UTF8.GetBytes(body));
    }
}
