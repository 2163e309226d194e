using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Routing;

/// <summary>
/// Finds the rest-xml operation for a method, path and query from the model's requestUri
/// templates. Where several match ("/{Bucket}?acl" and "/{Bucket}"), the one whose template
/// requires the most query parameters wins, then the one with the most literal segments.
/// </summary>
public sealed class RestXmlRouter
{
    private readonly Dictionary<string, List<OperationModel>> _byMethod;

    public RestXmlRouter(ServiceModel model)
    {
        _byMethod = model.Operations.Values
            .GroupBy(o => o.HttpMethod, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(o => o.UriTemplate.RequiredQuery.Count)
                      .ThenByDescending(o => o.UriTemplate.Segments.Count)
                      .ThenByDescending(o => o.UriTemplate.LiteralCount)
                      .ToList(),
                StringComparer.Ordinal);
    }

    public bool TryRoute(string method, string decodedPath, IReadOnlyDictionary<string, string> query, out OperationModel operation, out Dictionary<string, string> labels)
    {
        labels = [];
        operation = null!;
        if (!_byMethod.TryGetValue(method, out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (!QueryMatches(candidate.UriTemplate, query))
            {
                continue;
            }

            if (candidate.UriTemplate.TryMatch(decodedPath, out labels))
            {
                operation = candidate;
                return true;
            }
        }

        return false;
    }

    public bool HasMethod(string method) => _byMethod.ContainsKey(method);

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
