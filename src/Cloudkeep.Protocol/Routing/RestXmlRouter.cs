using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Routing;

/// <summary>
/// Finds the rest-xml operation for a request from the model's requestUri templates. Several
/// operations share a template (PUT /{Bucket}/{Key+} is PutObject, CopyObject, UploadPart and
/// UploadPartCopy), so a candidate must also have every required member that is bound to the query
/// string or a header, and the candidate that requires the most wins. Deprecated twins are never
/// routed, and where only an S3 Express control operation (served on its own endpoint in AWS) ties
/// with a general one, the general one wins: GET / is ListBuckets, not ListDirectoryBuckets.
/// </summary>
public sealed class RestXmlRouter
{
    private readonly Dictionary<string, List<Candidate>> _byMethod;

    /// <summary>Every query key some template requires (the subresources: ?acl, ?uploads, ...).</summary>
    private readonly HashSet<string> _templateQueryKeys;

    public RestXmlRouter(ServiceModel model)
    {
        _byMethod = model.Operations.Values
            .Where(o => !o.Deprecated)
            .Select(o => new Candidate(o, RequiredBindings(o)))
            .GroupBy(c => c.Operation.HttpMethod, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(c => c.Operation.UriTemplate.RequiredQuery.Count + c.Query.Count + c.Headers.Count)
                      .ThenBy(c => c.Operation.S3ExpressControl && c.Operation.Name.Contains("Directory", StringComparison.Ordinal) ? 1 : 0)
                      .ThenByDescending(c => c.Operation.UriTemplate.Segments.Count)
                      .ThenByDescending(c => c.Operation.UriTemplate.LiteralCount)
                      .ThenBy(c => c.Operation.Name, StringComparer.Ordinal)
                      .ToList(),
                StringComparer.Ordinal);
        _templateQueryKeys = _byMethod.Values.SelectMany(c => c).SelectMany(c => c.Operation.UriTemplate.RequiredQuery.Select(q => q.Key)).ToHashSet(StringComparer.Ordinal);
    }

    private sealed record Candidate(OperationModel Operation, (List<string> Query, List<string> Headers) Bindings)
    {
        public List<string> Query => Bindings.Query;

        public List<string> Headers => Bindings.Headers;
    }

    public bool TryRoute(string method, string decodedPath, IReadOnlyDictionary<string, string> query, out OperationModel operation, out Dictionary<string, string> labels) =>
        TryRoute(method, decodedPath, query, static _ => false, out operation, out labels);

    public bool TryRoute(string method, string decodedPath, IReadOnlyDictionary<string, string> query, Func<string, bool> hasHeader, out OperationModel operation, out Dictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(hasHeader);
        labels = [];
        operation = null!;
        if (!_byMethod.TryGetValue(method, out var candidates))
        {
            return false;
        }

        // A request naming an operation's subresource (GET ?attributes) is that operation even
        // without a header it requires: it must not fall through to one with fewer subresources
        // (GetObject), which would answer something else. Its handler refuses the missing header.
        Candidate? named = null;
        Dictionary<string, string>? namedLabels = null;

        // Most requests (GetObject, PutObject, HeadObject) name no subresource: then no template that
        // requires one can match, and one pass over the query spares a lookup per such template.
        var namesSubresource = false;
        foreach (var name in query.Keys)
        {
            if (_templateQueryKeys.Contains(name))
            {
                namesSubresource = true;
                break;
            }
        }

        foreach (var candidate in candidates)
        {
            if ((candidate.Operation.UriTemplate.RequiredQuery.Count > 0 && (!namesSubresource || !QueryMatches(candidate.Operation.UriTemplate, query)))
                || !HasAllKeys(candidate.Query, query))
            {
                continue;
            }

            if (!HasAll(candidate.Headers, hasHeader))
            {
                if (named is null && candidate.Operation.UriTemplate.RequiredQuery.Count > 0 && candidate.Operation.UriTemplate.TryMatch(decodedPath, out var matched))
                {
                    (named, namedLabels) = (candidate, matched);
                }

                continue;
            }

            if (candidate.Operation.UriTemplate.TryMatch(decodedPath, out labels))
            {
                if (named is not null && named.Operation.UriTemplate.RequiredQuery.Count > candidate.Operation.UriTemplate.RequiredQuery.Count)
                {
                    break;
                }

                operation = candidate.Operation;
                return true;
            }
        }

        if (named is not null)
        {
            (operation, labels) = (named.Operation, namedLabels!);
            return true;
        }

        labels = [];
        return false;
    }

    public bool HasMethod(string method) => _byMethod.ContainsKey(method);

    private static (List<string> Query, List<string> Headers) RequiredBindings(OperationModel operation)
    {
        var query = new List<string>();
        var headers = new List<string>();
        if (operation.Input is { } input)
        {
            foreach (var member in input.Members)
            {
                if (!input.Required.Contains(member.Name))
                {
                    continue;
                }

                if (member.Location == "querystring")
                {
                    query.Add(member.WireName);
                }
                else if (member.Location == "header")
                {
                    headers.Add(member.WireName);
                }
            }
        }

        return (query, headers);
    }

    private static bool HasAllKeys(List<string> names, IReadOnlyDictionary<string, string> query)
    {
        foreach (var name in names)
        {
            if (!query.ContainsKey(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasAll(List<string> names, Func<string, bool> present)
    {
        foreach (var name in names)
        {
            if (!present(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool QueryMatches(UriTemplate template, IReadOnlyDictionary<string, string> query)
    {
        foreach (var (name, value) in template.RequiredQuery)
        {
            if (!query.TryGetValue(name, out var actual) || (value is not null && actual != value))
            {
                return false;
            }
        }

        return true;
    }
}
