using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListMFADevices(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => UserArnAsync(request, "UserName", cancellationToken);

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        // Root without a UserName lists its own devices, as on AWS; a named user, that user's.
        var userName = request.Input.OptStr("UserName") ?? request.Caller.UserName ?? (request.Caller.Kind == Core.Identity.PrincipalKind.Root ? IamMfaDevice.RootUser : null);
        var devices = (await Iam.Store.ListAsync<IamMfaDevice>(Account(request), IamKinds.MfaDevice, cancellationToken))
            .Where(d => d.UserName is not null && (userName is null || string.Equals(d.UserName, userName, StringComparison.OrdinalIgnoreCase)));
        var (page, truncated, marker) = Paging.Page(devices, d => d.SerialNumber, request.Input);
        return new OperationResult(Paging.Result("MFADevices", page.Select(d => (JsonNode)new JsonObject
        {
            ["UserName"] = d.IsRootDevice ? EnableMFADevice.RootUserName : d.UserName,
            ["SerialNumber"] = d.SerialNumber,
            ["EnableDate"] = JsonValue.Create(d.EnableDate!.Value),
        }), truncated, marker));
    }
}
