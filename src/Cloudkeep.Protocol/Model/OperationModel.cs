namespace Cloudkeep.Protocol.Model;

/// <summary>One operation of a service model: its HTTP binding and input/output shapes.</summary>
public sealed class OperationModel
{
    internal OperationModel(string name, string httpMethod, string requestUri)
    {
        Name = name;
        HttpMethod = httpMethod;
        RequestUri = requestUri;
        UriTemplate = UriTemplate.Parse(requestUri);
    }

    public string Name { get; }

    public string HttpMethod { get; }

    public string RequestUri { get; }

    public UriTemplate UriTemplate { get; }

    public int? ResponseCode { get; internal init; }

    public Shape? Input { get; internal set; }

    /// <summary>
    /// The root element of a rest-xml input whose body members have no payload member (Route 53's
    /// CreateHostedZoneRequest): the operation names it, not the shape.
    /// </summary>
    public string? InputLocationName { get; internal set; }

    /// <summary>The XML namespace the operation declares for that input root.</summary>
    public string? InputXmlNamespace { get; internal set; }

    public Shape? Output { get; internal set; }

    /// <summary>The query protocol wraps the output members in this element (e.g. GetCallerIdentityResult).</summary>
    public string? ResultWrapper { get; internal init; }

    public IReadOnlyList<Shape> Errors { get; internal set; } = [];

    public bool Deprecated { get; internal init; }

    /// <summary>Operations AWS serves on the S3 Express control endpoint (some only there, such as ListDirectoryBuckets).</summary>
    public bool S3ExpressControl { get; internal init; }
}
