using System.Xml;

namespace Cloudkeep.Protocol.Serialization;

/// <summary>XML reader settings for untrusted request bodies: no DTDs, no external resolution, bounded size.</summary>
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
}
