using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam.Operations;

/// <summary>
/// iam:GenerateCredentialReport and iam:GetCredentialReport. The report is made on demand (it is
/// cheap here), so Generate answers COMPLETE at once; the CSV has AWS's columns, in AWS's order,
/// with the account's root user first as "&lt;root_account&gt;".
/// </summary>
public sealed class CredentialReport(IamContext iam, bool generate) : IamOperation(iam)
{
    public const string Header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    public override string Operation => generate ? "GenerateCredentialReport" : "GetCredentialReport";

    protected override ValueTask<string> ResourceAsync(OperationRequest request, CancellationToken cancellationToken) => Everything();

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        if (generate)
        {
            return new OperationResult(new JsonObject { ["State"] = "COMPLETE", ["Description"] = "No report exists. Starting a new report generation task" });
        }

        var account = Account(request);
        var csv = new StringBuilder(Header).Append('\n');
        var rootKeys = await Iam.AccessKeys.ListForOwnerAsync(account, null, cancellationToken);
        var devices = await Iam.Store.ListAsync<IamMfaDevice>(account, IamKinds.MfaDevice, cancellationToken);
        Row(csv, "<root_account>", IamArns.Root(account), DateTimeOffset.UnixEpoch, "not_supported", devices.Any(d => d.IsRootDevice), rootKeys);
        foreach (var user in await Iam.Store.ListAsync<IamUser>(account, IamKinds.User, cancellationToken))
        {
            var keys = await Iam.AccessKeys.ListForOwnerAsync(account, user.UserName, cancellationToken);
            var mfa = devices.Any(d => string.Equals(d.UserName, user.UserName, StringComparison.OrdinalIgnoreCase));
            Row(csv, user.UserName, user.Arn, user.CreateDate, user.LoginProfile is null ? "false" : "true", mfa, keys);
        }

        return new OperationResult(new JsonObject
        {
            ["Content"] = JsonValue.Create(Encoding.UTF8.GetBytes(csv.ToString())),
            ["ReportFormat"] = "text/csv",
            ["GeneratedTime"] = JsonValue.Create(Iam.EntityTime),
        });
    }

    private static void Row(StringBuilder csv, string user, string arn, DateTimeOffset created, string passwordEnabled, bool mfa, IReadOnlyList<Storage.Metadata.AccessKeyRecord> keys)
    {
        static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        csv.Append(user).Append(',').Append(arn).Append(',').Append(Time(created)).Append(',')
            .Append(passwordEnabled).Append(",N/A,N/A,N/A,").Append(mfa ? "true" : "false");
        for (var i = 0; i < 2; i++)
        {
            var key = i < keys.Count ? keys[i] : null;
            csv.Append(',').Append(key is not null && key.Status == "Active" ? "true" : "false")
                .Append(',').Append(key is null ? "N/A" : Time(key.CreatedAt))
                .Append(",N/A,N/A,N/A");
        }

        csv.Append(",false,N/A,false,N/A\n");
    }
}
