using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Sns;

/// <summary>
/// A subscription's filter policy ("Amazon SNS message filtering"): every named property must
/// match one of its conditions ("$or" joins alternatives). Conditions are an exact string or
/// number, prefix, suffix, anything-but (values or a prefix), numeric ranges, exists and
/// equals-ignore-case. With FilterPolicyScope MessageAttributes (the default) the properties are
/// message attributes (a String.Array matches when one element does; Binary never does); with
/// MessageBody they are paths into the JSON message, nested objects in the policy.
/// </summary>
public sealed class FilterPolicy
{
    private const int MaxKeys = 5;
    private const int MaxCombinations = 150;

    private readonly JsonObject _policy;
    private readonly bool _bodyScope;

    private FilterPolicy(JsonObject policy, bool bodyScope)
    {
        _policy = policy;
        _bodyScope = bodyScope;
    }

    /// <summary>Reads and checks a policy; InvalidParameter "Invalid parameter: FilterPolicy: ..." when SNS would refuse it.</summary>
    public static FilterPolicy Parse(string json, string? scope)
    {
        var bodyScope = scope switch
        {
            null or "MessageAttributes" => false,
            "MessageBody" => true,
            _ => throw SnsErrors.Invalid("FilterPolicyScope: Invalid value [" + scope + "]. Please use either MessageBody or MessageAttributes"),
        };
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            throw SnsErrors.Invalid("FilterPolicy: failed to parse JSON.");
        }

        if (node is not JsonObject policy)
        {
            throw SnsErrors.Invalid("FilterPolicy: Filter policy must be a JSON object");
        }

        var keys = 0;
        var combinations = Check(policy, bodyScope, 0, ref keys);
        if (keys > MaxKeys && !bodyScope)
        {
            throw SnsErrors.Invalid("FilterPolicy: Filter policy can not have more than 5 keys");
        }

        if (combinations > MaxCombinations)
        {
            throw SnsErrors.Invalid("FilterPolicy: Filter policy is too complex");
        }

        return new FilterPolicy(policy, bodyScope);
    }

    /// <summary>Whether a message with these attributes and body passes the policy.</summary>
    public bool Matches(IReadOnlyDictionary<string, MessageAttributeValue> attributes, string body)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!_bodyScope)
        {
            return MatchObject(_policy, name => attributes.TryGetValue(name, out var a) ? AttributeValues(a) : null);
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        return parsed is JsonObject document && MatchBody(_policy, document);
    }

    private static long Check(JsonObject policy, bool bodyScope, int depth, ref int keys)
    {
        long combinations = 1;
        foreach (var (key, value) in policy)
        {
            if (key == "$or")
            {
                if (value is not JsonArray alternatives || alternatives.Count < 2 || alternatives.Any(a => a is not JsonObject))
                {
                    throw SnsErrors.Invalid("FilterPolicy: $or must be an array of at least two objects");
                }

                long sum = 0;
                foreach (var alternative in alternatives)
                {
                    sum += Check((JsonObject)alternative!, bodyScope, depth, ref keys);
                }

                combinations *= sum;
                continue;
            }

            keys++;
            switch (value)
            {
                case JsonObject nested when bodyScope && depth < 5:
                    combinations *= Check(nested, bodyScope, depth + 1, ref keys);
                    break;
                case JsonArray conditions:
                    if (conditions.Count == 0)
                    {
                        throw SnsErrors.Invalid($"FilterPolicy: Empty arrays are not allowed");
                    }

                    foreach (var condition in conditions)
                    {
                        CheckCondition(key, condition);
                    }

                    combinations *= conditions.Count;
                    break;
                default:
                    throw SnsErrors.Invalid($"FilterPolicy: \"{key}\" must be an object or an array");
            }
        }

        return combinations;
    }

    private static void CheckCondition(string key, JsonNode? condition)
    {
        if (condition is null || condition is JsonValue)
        {
            if (condition is JsonValue v && v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                throw SnsErrors.Invalid($"FilterPolicy: Match value must be String, number, true, false, or null");
            }

            return;
        }

        if (condition is not JsonObject operation || operation.Count != 1)
        {
            throw SnsErrors.Invalid($"FilterPolicy: Unrecognized match type for \"{key}\"");
        }

        var (name, argument) = operation.First();
        var valid = name switch
        {
            "prefix" or "suffix" or "equals-ignore-case" => argument is JsonValue s && s.GetValueKind() == JsonValueKind.String,
            "exists" => argument is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "anything-but" => argument is JsonValue
                || (argument is JsonArray list && list.All(i => i is JsonValue))
                || (argument is JsonObject { Count: 1 } inner && inner.ContainsKey("prefix")),
            "numeric" => argument is JsonArray range && NumericRange(range) is not null,
            _ => false,
        };
        if (!valid)
        {
            throw SnsErrors.Invalid($"FilterPolicy: Unrecognized match type {name}");
        }
    }

    private static bool MatchObject(JsonObject policy, Func<string, IReadOnlyList<JsonNode?>?> values)
    {
        foreach (var (key, value) in policy)
        {
            if (key == "$or")
            {
                if (!((JsonArray)value!).Any(a => MatchObject((JsonObject)a!, values)))
                {
                    return false;
                }

                continue;
            }

            if (!MatchKey((JsonArray)value!, values(key)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchBody(JsonObject policy, JsonObject document)
    {
        foreach (var (key, value) in policy)
        {
            if (key == "$or")
            {
                if (!((JsonArray)value!).Any(a => MatchBody((JsonObject)a!, document)))
                {
                    return false;
                }

                continue;
            }

            var present = document.TryGetPropertyValue(key, out var found);
            if (value is JsonObject nested)
            {
                if (found is not JsonObject inner || !MatchBody(nested, inner))
                {
                    return false;
                }

                continue;
            }

            IReadOnlyList<JsonNode?>? candidates = !present ? null : found is JsonArray array ? [.. array] : [found];
            if (!MatchKey((JsonArray)value!, candidates))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether any condition matches any of the values (null values: the property is absent).</summary>
    private static bool MatchKey(JsonArray conditions, IReadOnlyList<JsonNode?>? values)
    {
        foreach (var condition in conditions)
        {
            if (condition is JsonObject { Count: 1 } operation && operation.First() is { Key: "exists" } exists)
            {
                if (exists.Value!.GetValue<bool>() == (values is not null))
                {
                    return true;
                }

                continue;
            }

            if (values is null)
            {
                continue;
            }

            if (values.Any(v => MatchValue(condition, v)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchValue(JsonNode? condition, JsonNode? value)
    {
        switch (condition)
        {
            case null:
                return value is null;
            case JsonValue literal when literal.GetValueKind() == JsonValueKind.String:
                return Text(value) is { } text && text == literal.GetValue<string>();
            case JsonValue number:
                return Number(value) is { } n && n == number.GetValue<double>();
            case JsonObject operation:
                var (name, argument) = operation.First();
                var valueText = Text(value);
                return name switch
                {
                    "prefix" => valueText is not null && valueText.StartsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
                    "suffix" => valueText is not null && valueText.EndsWith(argument!.GetValue<string>(), StringComparison.Ordinal),
                    "equals-ignore-case" => valueText is not null && string.Equals(valueText, argument!.GetValue<string>(), StringComparison.OrdinalIgnoreCase),
                    "anything-but" => AnythingBut(argument, value),
                    "numeric" => Number(value) is { } actual && InRange(NumericRange((JsonArray)argument!)!, actual),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool AnythingBut(JsonNode? argument, JsonNode? value)
    {
        if (argument is JsonObject prefix)
        {
            return Text(value) is { } t && !t.StartsWith(prefix["prefix"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // An array, not a JsonArray: the argument already belongs to the policy's tree.
        JsonNode?[] excluded = argument is JsonArray list ? [.. list] : [argument];
        return !excluded.Any(e => MatchValue(e, value));
    }

    private static List<(string Operator, double Operand)>? NumericRange(JsonArray range)
    {
        if (range.Count is not (2 or 4))
        {
            return null;
        }

        var pairs = new List<(string, double)>();
        for (var i = 0; i < range.Count; i += 2)
        {
            if (range[i] is not JsonValue op || op.GetValueKind() != JsonValueKind.String
                || op.GetValue<string>() is not ("=" or "<" or "<=" or ">" or ">=")
                || range[i + 1] is not JsonValue operand || operand.GetValueKind() != JsonValueKind.Number)
            {
                return null;
            }

            pairs.Add((op.GetValue<string>(), operand.GetValue<double>()));
        }

        return pairs;
    }

    private static bool InRange(List<(string Operator, double Operand)> range, double n) =>
        range.All(p => p.Operator switch
        {
            "=" => n == p.Operand,
            "<" => n < p.Operand,
            "<=" => n <= p.Operand,
            ">" => n > p.Operand,
            _ => n >= p.Operand,
        });

    private static string? Text(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // Numeric conditions apply to Number attributes and JSON numbers only, never to text that looks like one.
    private static double? Number(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    /// <summary>A message attribute as the values a condition is tried against.</summary>
    private static List<JsonNode?>? AttributeValues(MessageAttributeValue attribute)
    {
        var type = attribute.DataType;
        if (type.StartsWith("Binary", StringComparison.Ordinal))
        {
            return null;
        }

        if (type.StartsWith("String.Array", StringComparison.Ordinal))
        {
            try
            {
                return JsonNode.Parse(attribute.Value) is JsonArray array ? [.. array.Select(e => e?.DeepClone())] : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return type.StartsWith("Number", StringComparison.Ordinal)
            ? [JsonValue.Create(double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN)]
            : [JsonValue.Create(attribute.Value)];
    }
}
