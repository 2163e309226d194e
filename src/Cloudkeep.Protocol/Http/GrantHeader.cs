using System.Diagnostics.CodeAnalysis;

namespace Cloudkeep.Protocol.Http;

/// <summary>
/// An x-amz-grant-* header: a comma-separated list of grantees, each type="value" (id, uri or
/// emailAddress; the quotes are optional). Which types a service honours is the service's to say.
/// </summary>
public static class GrantHeader
{
    /// <summary>The grantees as (lower-cased type, value); false when an entry has no '='.</summary>
    public static bool TryParse(string header, [NotNullWhen(true)] out IReadOnlyList<KeyValuePair<string, string>>? grantees)
    {
        ArgumentNullException.ThrowIfNull(header);
        grantees = null;
        var list = new List<KeyValuePair<string, string>>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return false;
            }

            list.Add(new(pair[..equals].Trim().ToLowerInvariant(), pair[(equals + 1)..].Trim().Trim('"')));
        }

        grantees = list;
        return true;
    }
}
