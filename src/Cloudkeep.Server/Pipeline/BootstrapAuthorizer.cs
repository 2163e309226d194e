using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// The authorizer until IAM principals exist: a root user may do anything in its own account (as
/// in AWS, where identity policies do not govern root), operations that need no permission are
/// open to every authenticated caller, and nothing else is allowed.
/// </summary>
internal sealed class BootstrapAuthorizer : IRequestAuthorizer
{
    public ValueTask AuthorizeAsync(Caller caller, AuthorizationTarget target, OperationRequest request, CancellationToken cancellationToken)
    {
        if (target.RequiresNoPermission && !caller.IsAnonymous)
        {
            return ValueTask.CompletedTask;
        }

        if (caller.Kind == PrincipalKind.Root)
        {
            return ValueTask.CompletedTask;
        }

        var resource = target.Resources.Count > 0 ? target.Resources[0] : "*";
        throw caller.IsAnonymous
            ? CommonErrors.AccessDenied.ToException()
            : CommonErrors.AccessDenied.ToException(
                $"User: {caller.Arn} is not authorized to perform: {target.Action} on resource: {resource} because no identity-based policy allows the {target.Action} action");
    }
}
