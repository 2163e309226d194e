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
        try
        {
            return CheckWellFormed(policyJson, fields, bucket, now);
        }
        catch (InvalidOperationException)
        {
            // A string member with a lone surrogate escape or invalid UTF-8 in it.
            throw Malformed("Invalid Policy: Invalid JSON.");
        }
    }

    private static (long Min, long Max) CheckWellFormed(string policyJson, IReadOnlyDictionary<string, string> fields, string bucket, DateTimeOffset now)
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
            throw Malformed("Invalid Policy: Invalid JSON.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("Invalid Policy: Invalid JSON.");
        }

        if (!root.TryGetProperty("expiration", out var expiration) || expiration.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(expiration.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            throw Malformed("Invalid Policy: Policy missing expiration.");
        }

        if (now > expires)
        {
            throw Denied("Invalid according to Policy: Policy expired.");
        }

        if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("Invalid Policy: Policy missing conditions.");
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
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        throw Malformed("Invalid Policy: Invalid Simple-Condition: value must be a string.");
                    }

                    if (!values.TryGetValue(property.Name, out var actual) || actual != property.Value.GetString())
                    {
                        throw Failed(condition);
                    }
                }

                continue;
            }

            if (condition.ValueKind != JsonValueKind.Array || condition.GetArrayLength() != 3)
            {
                throw Malformed("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
            }

            if (condition[0].ValueKind != JsonValueKind.String)
            {
                throw Malformed("Invalid Policy: Invalid Condition: the operation must be a string.");
            }

            var op = condition[0].GetString()!.ToLowerInvariant();
            if (op == "content-length-range")
            {
                if (!TryLength(condition[1], out min) || !TryLength(condition[2], out max))
                {
                    throw Malformed("Invalid Policy: Invalid content-length-range: its bounds must be whole non-negative numbers.");
                }

                continue;
            }

            if (condition[1].ValueKind != JsonValueKind.String || condition[2].ValueKind != JsonValueKind.String)
            {
                throw Malformed("Invalid Policy: Invalid Condition: the field and the value must be strings.");
            }

            var field = condition[1].GetString() ?? "";
            if (!field.StartsWith('$'))
            {
                throw Malformed("Invalid Policy: Invalid Condition: field names must start with '$'.");
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
                _ => throw Malformed($"Invalid Policy: Invalid Condition: unknown operation {op}."),
            };
            if (!ok)
            {
                throw Failed(condition);
            }
        }

        var extra = fields.Keys.Where(k => !Exempt.Contains(k) && !covered.Contains(k) && !k.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase)).ToList();
        if (extra.Count > 0)
        {
            throw Denied("Invalid according to Policy: Extra input fields: " + string.Join(", ", extra));
        }

        return (min, max);
    }

    /// <summary>A content-length-range bound: a JSON integer from 0 up (1.5, 1e30 and "10" are refused).</summary>
    private static bool TryLength(JsonElement bound, out long value)
    {
        value = 0;
        return bound.ValueKind == JsonValueKind.Number && bound.TryGetInt64(out value) && value >= 0;
    }

    /// <summary>A policy S3 cannot read: InvalidPolicyDocument ("Invalid Policy: ...").</summary>
    private static Core.Errors.AwsException Malformed(string message) => S3Errors.InvalidPolicyDocument.ToException(message);

    /// <summary>A policy S3 reads but the form does not satisfy: AccessDenied ("Invalid according to Policy: ...").</summary>
    private static Core.Errors.AwsException Denied(string message) => S3Errors.AccessDenied.ToException(message);

    private static Core.Errors.AwsException Failed(JsonElement condition) =>
        S3Errors.AccessDenied.ToException("Invalid according to Policy: Policy Condition failed: " + condition.GetRawText());
}
