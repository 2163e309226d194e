using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;

namespace Cloudkeep.Services.Sts.Operations;

/// <summary>
/// sts:GetCallerIdentity. AWS answers it for any valid credentials whatever the policies say ("No
/// permissions are required to perform this operation", STS API reference).
/// </summary>
public sealed class GetCallerIdentity : IOperationHandler
{
    public string Service => "sts";

    public string Operation => "GetCallerIdentity";

    public ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AuthorizationTarget.NoPermissionRequired("sts:GetCallerIdentity"));

    public ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = request.Caller;
        var output = new JsonObject
        {
            ["UserId"] = caller.UserId,
            ["Account"] = caller.AccountId,
            ["Arn"] = caller.Arn,
        };
        return ValueTask.FromResult(new OperationResult(output));
    }
}
