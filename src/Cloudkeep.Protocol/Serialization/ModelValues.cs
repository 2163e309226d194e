using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// Conversions between wire text and the typed values in the model-shaped trees handlers see
/// (timestamps as <see cref="DateTimeOffset"/>, blobs as byte arrays, numbers as long/double).
/// </summary>
public static class ModelValues
{
    public const string Iso8601 = "iso8601";
    public const string Rfc822 = "rfc822";
    public const string UnixTimestamp = "unixTimestamp";

    /// <summary>Parses the text form of a scalar; false when it is not a value of that shape.</summary>
    public static bool TryParseScalar(Shape shape, string text, string defaultTimestampFormat, string? timestampFormat, out JsonNode? value)
    {
        value = null;
        switch (shape.Type)
        {
            case ShapeType.String:
                value = JsonValue.Create(text);
                return true;
            case ShapeType.Integer:
            case ShapeType.Long:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = JsonValue.Create(l);
                    return true;
                }

                return false;
            case ShapeType.Float:
            case ShapeType.Double:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    value = JsonValue.Create(d);
                    return true;
                }

                return false;
            case ShapeType.Boolean:
                if (text is "true" or "false")
                {
                    value = JsonValue.Create(text == "true");
                    return true;
                }

                return false;
            case ShapeType.Timestamp:
                if (TryParseTimestamp(text, timestampFormat ?? shape.TimestampFormat ?? defaultTimestampFormat, out var t))
                {
                    value = JsonValue.Create(t);
                    return true;
                }

                return false;
            case ShapeType.Blob:
                try
                {
                    value = JsonValue.Create(Convert.FromBase64String(text));
                    return true;
                }
                catch (FormatException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    public static bool TryParseTimestamp(string text, string format, out DateTimeOffset value)
    {
        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && !text.Contains('-', StringComparison.Ordinal))
        {
            // Every protocol accepts epoch seconds in practice; the CLI sends them for JSON services.
            if (seconds is > -62135596800 and < 253402300800)
            {
                value = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                return true;
            }

            value = default;
            return false;
        }

        if (format == Rfc822 && DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, Utc, out value))
        {
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, Utc, out value);
    }

    public static DateTimeOffset ReadTimestamp(JsonNode node)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<DateTimeOffset>(out var dto))
            {
                return dto;
            }

            if (v.TryGetValue<DateTime>(out var dt))
            {
                return new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc));
            }

            if (v.TryGetValue<string>(out var s) && TryParseTimestamp(s, Iso8601, out dto))
            {
                return dto;
            }

            if (v.TryGetValue<double>(out var seconds))
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
            }
        }

        throw new InvalidOperationException($"Not a timestamp: {node.ToJsonString()}");
    }

    public static byte[] ReadBlob(JsonNode node)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<byte[]>(out var bytes))
            {
                return bytes;
            }

            if (v.TryGetValue<string>(out var s))
            {
                return Convert.FromBase64String(s);
            }
        }

        throw new InvalidOperationException("Not a blob.");
    }

    /// <summary>The text form of a scalar for XML bodies, headers and query strings.</summary>
    public static string FormatScalar(Shape shape, JsonNode node, string defaultTimestampFormat, string? timestampFormat)
    {
        switch (shape.Type)
        {
            case ShapeType.Timestamp:
                return FormatTimestamp(ReadTimestamp(node), timestampFormat ?? shape.TimestampFormat ?? defaultTimestampFormat);
            case ShapeType.Blob:
                return Convert.ToBase64String(ReadBlob(node));
            case ShapeType.Boolean:
                return node.GetValue<bool>() ? "true" : "false";
            case ShapeType.Integer:
            case ShapeType.Long:
                return ((JsonValue)node).TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture) : node.ToJsonString();
            case ShapeType.Float:
            case ShapeType.Double:
                return node.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);
            default:
                return node is JsonValue sv && sv.TryGetValue<string>(out var text) ? text : node.ToJsonString();
        }
    }

    public static string FormatTimestamp(DateTimeOffset value, string format) => format switch
    {
        Rfc822 => value.UtcDateTime.ToString("r", CultureInfo.InvariantCulture),
        UnixTimestamp => (value.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>Converts a parsed JSON value into the typed value of its shape (JSON protocol input).</summary>
    public static JsonNode? FromJson(Shape shape, JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            switch (shape.Type)
            {
                case ShapeType.Structure:
                    if (node is not JsonObject obj)
                    {
                        throw Invalid(path, "a structure");
                    }

                    var result = new JsonObject();
                    foreach (var (name, value) in obj)
                    {
                        if (shape.MembersByName.TryGetValue(name, out var member))
                        {
                            result[name] = FromJson(member.Shape, value, path + "." + name);
                        }
                    }

                    return result;
                case ShapeType.List:
                    if (node is not JsonArray array)
                    {
                        throw Invalid(path, "a list");
                    }

                    var list = new JsonArray();
                    foreach (var item in array)
                    {
                        list.Add(FromJson(shape.ListMember!.Shape, item, path + "[]"));
                    }

                    return list;
                case ShapeType.Map:
                    if (node is not JsonObject map)
                    {
                        throw Invalid(path, "a map");
                    }

                    var mapResult = new JsonObject();
                    foreach (var (key, value) in map)
                    {
                        mapResult[key] = FromJson(shape.MapValue!.Shape, value, path + "." + key);
                    }

                    return mapResult;
                case ShapeType.String:
                    return node.GetValueKind() == JsonValueKind.String ? JsonValue.Create(node.GetValue<string>()) : throw Invalid(path, "a string");
                case ShapeType.Boolean:
                    return node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(node.GetValue<bool>()) : throw Invalid(path, "a boolean");
                case ShapeType.Integer:
                case ShapeType.Long:
                    return node.GetValueKind() == JsonValueKind.Number && ((JsonValue)node).TryGetValue<long>(out var l) ? JsonValue.Create(l) : throw Invalid(path, "an integer");
                case ShapeType.Float:
                case ShapeType.Double:
                    // awsJson writes the values JSON has no number for as strings ("Serialization of special values", Smithy).
                    return node.GetValueKind() switch
                    {
                        JsonValueKind.Number => JsonValue.Create(node.GetValue<double>()),
                        JsonValueKind.String when node.GetValue<string>() is "NaN" => JsonValue.Create(double.NaN),
                        JsonValueKind.String when node.GetValue<string>() is "Infinity" => JsonValue.Create(double.PositiveInfinity),
                        JsonValueKind.String when node.GetValue<string>() is "-Infinity" => JsonValue.Create(double.NegativeInfinity),
                        _ => throw Invalid(path, "a number"),
                    };
                case ShapeType.Timestamp:
                    return node.GetValueKind() switch
                    {
                        // Epoch seconds DateTimeOffset can hold (years 1-9999); beyond them the input is bad, not the server.
                        JsonValueKind.Number when node.GetValue<double>() is > -62135596800 and < 253402300800 => JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(node.GetValue<double>() * 1000))),
                        JsonValueKind.String when TryParseTimestamp(node.GetValue<string>(), Iso8601, out var t) => JsonValue.Create(t),
                        _ => throw Invalid(path, "a timestamp"),
                    };
                case ShapeType.Blob:
                    return node.GetValueKind() == JsonValueKind.String ? JsonValue.Create(Convert.FromBase64String(node.GetValue<string>())) : throw Invalid(path, "base64 data");
                default:
                    return null;
            }
        }
        catch (FormatException)
        {
            throw Invalid(path, "base64 data");
        }
    }

    private static AwsException Invalid(string path, string expected) =>
        CommonErrors.Serialization.ToException($"Value at '{path.TrimStart('.')}' is not {expected}.");
}
