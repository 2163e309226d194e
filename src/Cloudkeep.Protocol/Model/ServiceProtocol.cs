namespace Cloudkeep.Protocol.Model;

/// <summary>The wire protocols the served models use.</summary>
public enum ServiceProtocol
{
    Query,
    Json,
    RestXml,

    /// <summary>Smithy RPC v2 CBOR: POST /service/{Service}/operation/{Operation}, CBOR bodies (CloudWatch).</summary>
    RpcV2Cbor,
}
