using System.Globalization;
using System.Text;

namespace Cloudkeep.Auth;

/// <summary>
/// Python's `json.dumps(value, sort_keys=True)` for a flat object of strings and integers, byte for
/// byte: `", "` and `": "` separators and every non-ASCII character escaped (ensure_ascii). botocore
/// hashes this text to name its cache files, so any other spelling would miss the AWS CLI's cache.
/// </summary>
internal static class PythonJson
{
    public static string DumpsSorted(IReadOnlyDictionary<string, object> values)
    {
        var text = new StringBuilder("{");
        var first = true;
        foreach (var key in values.Keys.Order(StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            AppendString(text, key);
            text.Append(": ");
            switch (values[key])
            {
                case string s:
                    AppendString(text, s);
                    break;
                case int i:
                    text.Append(i.ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new ArgumentException($"Only strings and integers are supported, not {values[key].GetType().Name}.", nameof(values));
            }
        }

        return text.Append('}').ToString();
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        // UTF-16 code units, as Python writes astral characters as surrogate pairs.
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
