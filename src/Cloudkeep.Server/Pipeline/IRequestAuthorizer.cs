using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Server.Pipeline;

/// <summary>
/// The single decision point every operation passes through. Throws AccessDenied (with AWS's
/// enhanced message) when the caller may not do what the operation declared.
/// </summary>
internal interface IRequestAuthorizer
{
    ValueTask AuthorizeAsync(Caller caller, AuthorizationTarget target, OperationRequest request, CancellationToken cancellationToken);
}
