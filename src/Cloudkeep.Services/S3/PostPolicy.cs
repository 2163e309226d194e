using System.Globalization;
using System.Text.Json;

namespace Cloudkeep.Services.S3;

/// <summary>
/// The POST policy of a browser-based upload ("Creating a POST policy" in the S3 API reference):
/// an expiration and conditions (exact matches, "eq", "starts-with", "content-length-range") that
/// every form field must satisfy; a field no condition names is refused ("Extra input fields"),
/// except the signature, the file, the policy itself and x-ignore-* fields.
/// </summary>
public static class PostPolicy
{
    private static readonly HashSet<string> Exempt = new(StringComparer.OrdinalIgnoreCase)
    {
        "x-amz-signature", "file", "policy", "awsaccesskeyid", "signature",
    };

    /// <summary>Checks the decoded policy against the fields; returns the allowed content-length range.</summary>
    public static (long Min, long Max) Check(string policyJson, IReadOnlyDictionary<string, string> fields, string bucket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fields);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(policyJson);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid("Invalid Policy: Invalid JSON.");
        }

        if (!root.TryGetProperty("expiration", out var expiration) || expiration.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            throw Invalid("Invalid Policy: Policy missing expiration.");
        }

        if (now > expires)
        {
            throw Invalid("Invalid according to Policy: Policy expired.");
        }

        if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("Invalid Policy: Policy missing conditions.");
        }

        var values = new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase) { ["bucket"] = bucket };
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long min = 0;
        var max = long.MaxValue;
        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in condition.EnumerateObject())
                {
                    covered.Add(property.Name);
                    if (!values.TryGetValue(property.Name, out var actual) || actual != property.Value.GetString())
                    {
                        throw Failed(condition);
                    }
                }

                continue;
            }

            if (condition.ValueKind != JsonValueKind.Array || condition.GetArrayLength() != 3)
            {
                throw Invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
            }

            var op = condition[0].GetString()?.ToLowerInvariant();
            if (op == "content-length-range")
            {
                min = condition[1].GetInt64();
                max = condition[2].GetInt64();
                continue;
            }

            var field = condition[1].GetString() ?? "";
            if (!field.StartsWith('$'))
            {
                throw Invalid("Invalid Policy: Invalid Condition: field names must start with '$'.");
            }

            field = field[1..];
            covered.Add(field);
            var expected = condition[2].GetString() ?? "";
            var value = values.GetValueOrDefault(field, "");
            var ok = op switch
            {
                "eq" => value == expected,
                "starts-with" => field.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    ? value.Split(',').All(v => v.Trim().StartsWith(expected, StringComparison.Ordinal))
                    : value.StartsWith(expected, StringComparison.Ordinal),
                _ => throw Invalid($"Invalid Policy: Invalid Condition: unknown operation {op}."),
            };
            if (!ok)
            {
                throw Failed(condition);
            }
        }

        var extra = fields.Keys.Where(k => !Exempt.Contains(k) && !covered.Contains(k) && !k.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase)).ToList();
        if (extra.Count > 0)
        {
            throw Invalid("Invalid according to Policy: Extra input fields: " + string.Join(", ", extra));
        }

        return (min, max);
    }

    private static Core.Errors.AwsException Invalid(string message) => S3Errors.AccessDenied.ToException(message);

    private static Core.Errors.AwsException Failed(JsonElement condition) =>
        S3Errors.AccessDenied.ToException("Invalid according to Policy: Policy Condition failed: " + condition.GetRawText());
}
