namespace Cloudkeep.Protocol.Model;

/// <summary>A reference to a shape from a structure member, list member, map key or value, with its serialisation traits.</summary>
public sealed class MemberRef
{
    internal MemberRef(string name, string shapeName)
    {
        Name = name;
        ShapeName = shapeName;
    }

    public string Name { get; }

    public string ShapeName { get; }

    public Shape Shape { get; internal set; } = null!;

    /// <summary>header, headers, querystring, uri, statusCode; null for the body.</summary>
    public string? Location { get; internal init; }

    public string? LocationName { get; internal init; }

    public bool XmlAttribute { get; internal init; }

    public string? XmlNamespaceUri { get; internal init; }

    public string? XmlNamespacePrefix { get; internal init; }

    public bool Flattened { get; internal init; }

    public string? TimestampFormat { get; internal init; }

    public bool Streaming { get; internal init; }

    public bool HostLabel { get; internal init; }

    /// <summary>The name used on the wire when no location name overrides it.</summary>
    public string WireName => LocationName ?? Name;

    public bool IsFlattened => Flattened || Shape.Flattened;
}
