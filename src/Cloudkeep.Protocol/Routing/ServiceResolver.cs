using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Routing;

/// <summary>
/// Decides which service a request is for, in the order AWS's own front ends can tell: the
/// X-Amz-Target of JSON protocols, the service named in the SigV4 credential scope, an S3 host
/// name, a query-protocol Action that only one served model knows, and S3 for anything else
/// (anonymous GETs of public objects carry no other clue).
/// </summary>
public sealed class ServiceResolver
{
    private readonly ModelCatalog _catalog;
    private readonly ServiceModel _s3;

    public ServiceResolver(ModelCatalog catalog)
    {
        _catalog = catalog;
        _s3 = catalog.TryGetBySigningName("s3", out var s3) ? s3 : throw new InvalidOperationException("The S3 model is required.");
    }

    public ServiceModel S3 => _s3;

    public IEnumerable<ServiceModel> All => _catalog.All;

    /// <summary>
    /// Which protocol a request to a service that answers several speaks (CloudWatch): rpc-v2-cbor on
    /// its /service/.../operation/... path, json with an X-Amz-Target, query otherwise.
    /// </summary>
    public static ServiceProtocol ProtocolOf(ServiceModel service, bool cborPath, bool hasTarget)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Protocols.Count < 2)
        {
            return service.Protocol;
        }

        return cborPath && service.Protocols.Contains(ServiceProtocol.RpcV2Cbor) ? ServiceProtocol.RpcV2Cbor
            : hasTarget && service.Protocols.Contains(ServiceProtocol.Json) ? ServiceProtocol.Json
            : service.Protocols.Contains(ServiceProtocol.Query) ? ServiceProtocol.Query
            : service.Protocol;
    }

    /// <summary>The service of a request; <paramref name="cborService"/> is the one an rpc-v2-cbor path (/service/{name}/operation/...) names, if any.</summary>
    public ServiceModel Resolve(string? target, string? credentialService, bool s3Host, Func<string?> queryAction, string? cborService = null)
    {
        if (!string.IsNullOrEmpty(target))
        {
            // The operation follows the last dot: CloudTrail's prefix has dots of its own
            // (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents).
            var dot = target.LastIndexOf('.');
            if (dot > 0 && _catalog.TryGetByTargetPrefix(target[..dot], out var jsonModel))
            {
                return jsonModel;
            }

            throw CommonErrors.UnknownOperation.ToException();
        }

        if (!string.IsNullOrEmpty(credentialService))
        {
            if (_catalog.TryGetBySigningName(credentialService, out var model))
            {
                return model;
            }

            throw CommonErrors.UnknownService.ToException($"The service '{Truncate(credentialService)}' in the credential scope is not served here.");
        }

        if (s3Host)
        {
            return _s3;
        }

        // An unsigned rpc-v2-cbor call names its service by its shape name, which is the JSON target prefix too.
        if (cborService is not null && _catalog.TryGetByTargetPrefix(cborService, out var cborModel) && cborModel.Protocols.Contains(ServiceProtocol.RpcV2Cbor))
        {
            return cborModel;
        }

        if (queryAction() is { Length: > 0 } action)
        {
            foreach (var model in _catalog.All)
            {
                if (model.Protocol == ServiceProtocol.Query && model.Operations.ContainsKey(action))
                {
                    return model;
                }
            }
        }

        return _s3;
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32];
}
