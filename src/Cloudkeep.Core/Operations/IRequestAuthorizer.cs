using Cloudkeep.Core.Identity;

namespace Cloudkeep.Core.Operations;

/// <summary>
/// The single decision point every operation passes through. Throws AccessDenied (with AWS's
/// enhanced message) when the caller may not do what the operation declared.
/// </summary>
public interface IRequestAuthorizer
{
    ValueTask AuthorizeAsync(Caller caller, AuthorizationTarget target, OperationRequest request, CancellationToken cancellationToken);
}
