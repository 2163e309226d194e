using System.Text;
using System.Xml;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>
/// XML settings for untrusted request bodies (no DTDs, no external resolution, bounded size) and for
/// responses that carry stored text: whatever a client managed to store must be writable back.
/// </summary>
public static class SafeXml
{
    public const long MaxCharacters = 2 * 1024 * 1024;

    public static XmlReaderSettings ReaderSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        Async = true,
    };

    /// <summary>
    /// Response writer settings. Characters XML 1.0 cannot carry (C0 controls, U+FFFE/U+FFFF) are
    /// written as character references, as S3 writes such keys in listings ("XML related object key
    /// constraints"; clients that cannot read them ask for encoding-type=url); carriage returns are
    /// entitized so a reader does not normalise "\r" in a key to "\n".
    /// </summary>
    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CheckCharacters = false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    /// <summary>
    /// Text safe to hand to an <see cref="XmlWriter"/> made with <see cref="WriterSettings"/>: a lone
    /// UTF-16 surrogate has no encoding in UTF-8 at all, so it becomes U+FFFD. Decoders refuse such
    /// input; this guards what was stored before they did.
    /// </summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HasLoneSurrogate(text) ? Repair(text) : text;
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return true;
        }

        return false;
    }

    private static string Repair(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for each ill-formed surrogate.
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
