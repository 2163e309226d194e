using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Core.Operations;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Organizations.Operations;

/// <summary>
/// organizations:CreateAccount. As in AWS, the member account gets a root user with no password and
/// no keys, and a role (OrganizationAccountAccessRole unless RoleName says otherwise) that trusts
/// the management account and has AdministratorAccess. Creation completes at once; the status
/// answers SUCCEEDED, or FAILED with EMAIL_ALREADY_EXISTS.
/// </summary>
public sealed class CreateAccount(OrganizationContext organizations) : OrganizationsOperation(organizations)
{
    public const string StatusKind = "org-create-status";

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(request, cancellationToken);
        var iam = Organizations.Iam;
        var now = iam.EntityTime;
        var name = request.Input.Str("AccountName");
        var email = request.Input.Str("Email");
        var roleName = request.Input.OptStr("RoleName") ?? OrganizationContext.AccessRoleName;
        var requestId = "car-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var accountId = AccountIds.NewRandom();
        var created = await Organizations.Accounts.TryCreateAsync(new AccountRecord(accountId, name, email, "ACTIVE", IsManagement: false, now), cancellationToken);
        CreateAccountState status;
        if (created)
        {
            var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{ids.ManagementAccountId}}:root"},"Action":"sts:AssumeRole"}]}""";
            var role = new IamRole(roleName, AwsIds.NewUniqueId(AwsIds.RolePrefix), "/", IamArns.Role(accountId, "/", roleName), now, trust,
                "Grants the management account administrator access to this member account.", 3600, null, [],
                new PolicyAttachments(["arn:aws:iam::aws:policy/AdministratorAccess"], new Dictionary<string, string>()));
            await iam.Store.InsertAsync(accountId, IamKinds.Role, roleName, role.RoleId, role,
                () => Iam.IamErrors.EntityAlreadyExists.ToException($"Role with name {roleName} already exists."), cancellationToken);
            var scps = new ServiceControlPolicies(Organizations);
            await scps.ListAsync(cancellationToken);
            await scps.UpdateAsync(ServiceControlPolicies.FullAwsAccessId, p => p.Targets.Contains(accountId) ? p : p with { Targets = [.. p.Targets, accountId] }, cancellationToken);
            status = new CreateAccountState(requestId, name, "SUCCEEDED", now, now, accountId, null);
        }
        else
        {
            status = new CreateAccountState(requestId, name, "FAILED", now, now, null, "EMAIL_ALREADY_EXISTS");
        }

        await iam.Store.InsertAsync(ids.ManagementAccountId, StatusKind, requestId, requestId, status,
            () => OrganizationsErrors.ConstraintViolation.ToException(), cancellationToken);
        return new OperationResult(new JsonObject { ["CreateAccountStatus"] = status.ToOutput() });
    }
}

public sealed record CreateAccountState(string Id, string AccountName, string State, DateTimeOffset RequestedTimestamp, DateTimeOffset CompletedTimestamp, string? AccountId, string? FailureReason)
{
    public JsonObject ToOutput()
    {
        var output = new JsonObject
        {
            [nameof(Id)] = Id,
            [nameof(AccountName)] = AccountName,
            [nameof(State)] = State,
            [nameof(RequestedTimestamp)] = JsonValue.Create(RequestedTimestamp),
            [nameof(CompletedTimestamp)] = JsonValue.Create(CompletedTimestamp),
        };
        if (AccountId is not null)
        {
            output[nameof(AccountId)] = AccountId;
        }

        if (FailureReason is not null)
        {
            output[nameof(FailureReason)] = FailureReason;
        }

        return output;
    }
}
