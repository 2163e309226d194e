using Cloudkeep.Core.Operations;
using Microsoft.AspNetCore.Http;

namespace Cloudkeep.Server.Pipeline;

/// <summary>Step 4: asks the operation what it needs (action, resources, condition keys) and the authorizer whether that is allowed.</summary>
internal sealed class AuthorizationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IRequestAuthorizer _authorizer;

    public AuthorizationMiddleware(RequestDelegate next, IRequestAuthorizer authorizer)
    {
        _next = next;
        _authorizer = authorizer;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var state = RequestState.Get(context);
        var request = OperationRequestFactory.Create(state, context);
        state.Request = request;
        var target = await state.Handler!.DescribeAsync(request, context.RequestAborted);
        state.ResourceAccount = target.ResourceAccount;
        await _authorizer.AuthorizeAsync(state.Caller, target, request, context.RequestAborted);

        await _next(context);
    }
}
