namespace Cloudkeep.Protocol.Model;

/// <summary>One named shape of a service model.</summary>
public sealed class Shape
{
    internal Shape(string name, ShapeType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public ShapeType Type { get; }

    public IReadOnlyList<MemberRef> Members { get; internal set; } = [];

    public IReadOnlyDictionary<string, MemberRef> MembersByName { get; internal set; } = new Dictionary<string, MemberRef>();

    public IReadOnlySet<string> Required { get; internal init; } = new HashSet<string>();

    public MemberRef? ListMember { get; internal set; }

    public MemberRef? MapKey { get; internal set; }

    public MemberRef? MapValue { get; internal set; }

    public bool Flattened { get; internal init; }

    public string? TimestampFormat { get; internal init; }

    public string? LocationName { get; internal init; }

    public string? XmlNamespaceUri { get; internal init; }

    /// <summary>The member that is the whole HTTP body (rest-xml / rest-json).</summary>
    public string? Payload { get; internal init; }

    public bool Streaming { get; internal init; }

    public bool IsException { get; internal init; }

    public string? ErrorCode { get; internal init; }

    public int? ErrorHttpStatus { get; internal init; }

    public bool ErrorSenderFault { get; internal init; }

    public IReadOnlyList<string>? Enum { get; internal init; }

    public double? Min { get; internal init; }

    public double? Max { get; internal init; }

    public string? Pattern { get; internal init; }

    public bool Sensitive { get; internal init; }
}
