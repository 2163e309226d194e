using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Route53;

/// <summary>The resource the tag operations name: /tags/{ResourceType}/{ResourceId}.</summary>
internal static class Route53Tags
{
    public static AuthorizationTarget Target(OperationRequest request, string action)
    {
        var type = Route53Input.String(request.Input, "ResourceType") ?? "";
        var id = Route53Input.String(request.Input, "ResourceId") ?? "";
        return new AuthorizationTarget(action, [$"arn:aws:route53:::{type}/{id}"]);
    }

    public static async Task<Route53ZoneRecord> ZoneAsync(Route53Context context, OperationRequest request, CancellationToken cancellationToken)
    {
        var type = Route53Input.String(request.Input, "ResourceType");
        var id = Route53Input.String(request.Input, "ResourceId");
        if (type == "healthcheck")
        {
            // Health checks are not implemented, so there is never one with this id.
            throw Route53Errors.NoSuchHealthCheck.ToException($"A health check with id {id} does not exist.");
        }

        return await context.ZoneOfAsync(request.Caller.AccountId, id, cancellationToken);
    }
}
