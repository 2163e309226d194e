using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

public sealed class ListVirtualMFADevices(IamContext iam) : IamOperation(iam)
{
    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var status = request.Input.OptStr("AssignmentStatus") ?? "Any";
        var devices = (await Iam.Store.ListAsync<IamMfaDevice>(Account(request), IamKinds.MfaDevice, cancellationToken))
            .Where(d => status == "Any" || (status == "Assigned") == (d.UserName is not null));
        var (page, truncated, marker) = Paging.Page(devices, d => d.SerialNumber, request.Input);
        return new OperationResult(Paging.Result("VirtualMFADevices", page.Select(d =>
        {
            var item = new JsonObject { ["SerialNumber"] = d.SerialNumber };
            if (d.IsRootDevice)
            {
                item["User"] = new JsonObject
                {
                    ["Path"] = "/", ["UserName"] = "", ["UserId"] = Account(request), ["Arn"] = IamArns.Root(Account(request)),
                    ["CreateDate"] = JsonValue.Create(d.CreateDate),
                };
                item["EnableDate"] = JsonValue.Create(d.EnableDate!.Value);
            }
            else if (d.UserName is not null)
            {
                item["User"] = new JsonObject
                {
                    ["Path"] = "/", ["UserName"] = d.UserName, ["UserId"] = "", ["Arn"] = IamArns.User(Account(request), "/", d.UserName),
                    ["CreateDate"] = JsonValue.Create(d.CreateDate),
                };
                item["EnableDate"] = JsonValue.Create(d.EnableDate!.Value);
            }

            return (JsonNode)item;
        }), truncated, marker));
    }
}
