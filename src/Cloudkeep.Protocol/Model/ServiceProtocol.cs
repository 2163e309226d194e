namespace Cloudkeep.Protocol.Model;

/// <summary>The wire protocols the served models use.</summary>
public enum ServiceProtocol
{
    Query,
    Json,
    RestXml,
}
