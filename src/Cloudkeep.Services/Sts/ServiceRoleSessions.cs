using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Core.Identity;
using Cloudkeep.Policy;
using Cloudkeep.Services.CloudTrail;
using Cloudkeep.Services.Iam;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Sts;

/// <summary>
/// Role sessions for work a service does on a customer's behalf (S3 replication as the rule's
/// role): the service principal assumes the role as AWS's services do, so the role's trust policy
/// must allow that service, with aws:SourceAccount and aws:SourceArn set for confused-deputy
/// conditions. The session never leaves the process, so no credentials are issued; what it may do
/// is then decided by the role's policies like any caller's. Each AssumeRole, allowed or denied, is
/// recorded in the role's account as CloudTrail records a service's: userIdentity type AWSService with
/// invokedBy the service.
/// </summary>
public sealed class ServiceRoleSessions(IamContext iam)
{
    /// <summary>Where the AssumeRole events go; null records nothing (set once the server's recorder exists).</summary>
    public IServiceCallRecorder? Recorder { get; set; }

    /// <summary>The caller for a session of <paramref name="roleArn"/> assumed by <paramref name="service"/>; AccessDenied when the role is missing or does not trust it.</summary>
    public async Task<Caller> AssumeAsync(string service, string roleArn, string sessionName, string sourceAccount, string sourceArn, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        try
        {
            var session = await TryAssumeAsync(service, roleArn, sessionName, sourceAccount, sourceArn, cancellationToken);
            await RecordAsync(service, roleArn, sessionName, region, session, null);
            return session;
        }
        catch (AwsException denied)
        {
            await RecordAsync(service, roleArn, sessionName, region, null, denied);
            throw;
        }
    }

    private async Task RecordAsync(string service, string roleArn, string sessionName, string region, Caller? session, AwsException? error)
    {
        if (Recorder is null || !IamArns.TryParseRoleArn(roleArn, out var account, out _))
        {
            return;
        }

        await Recorder.RecordAsync(new AuditCall
        {
            Time = iam.Now,
            Service = "sts",
            Operation = "AssumeRole",
            Caller = Caller.Anonymous,
            InvokedBy = service,
            ResourceAccount = account,
            Region = region,
            RequestId = Guid.NewGuid().ToString(),
            Input = new JsonObject { ["RoleArn"] = roleArn, ["RoleSessionName"] = sessionName },
            Output = session is null ? null : new JsonObject
            {
                ["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = session.UserId, ["Arn"] = session.Arn },
            },
            ErrorCode = error?.Code,
            ErrorMessage = error?.Message,
        });
    }

    private async Task<Caller> TryAssumeAsync(string service, string roleArn, string sessionName, string sourceAccount, string sourceArn, CancellationToken cancellationToken)
    {
        var denied = CommonErrors.AccessDenied.ToException($"{service} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        if (!IamArns.TryParseRoleArn(roleArn, out var account, out var name))
        {
            throw denied;
        }

        var role = await iam.Store.GetAsync<IamRole>(account, IamKinds.Role, name, cancellationToken);
        if (role is null || role.Arn != roleArn)
        {
            throw denied;
        }

        var trust = iam.Policies.GetOrCompile(role.RoleId, "trust:" + IamContext.Fingerprint(role.AssumeRolePolicyDocument), role.AssumeRolePolicyDocument, PolicyKind.TrustPolicy).GetPolicyOrThrow();
        var context = new RequestContextBuilder()
            .Set("aws:SourceAccount", sourceAccount)
            .Set("aws:SourceArn", sourceArn)
            .Set("aws:PrincipalServiceName", service)
            .Set("aws:PrincipalIsAWSService", "true")
            .Build();
        var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
        {
            Principal = new PrincipalInfo(PrincipalType.Service, service, null),
            Action = "sts:AssumeRole",
            Resource = roleArn,
            ResourceAccount = account,
            Context = context,
            ResourcePolicy = trust,
            ResourcePolicyRequired = true,
        });
        if (!decision.IsAllowed)
        {
            throw denied;
        }

        var now = iam.Now;
        return new Caller(
            PrincipalKind.AssumedRole,
            account,
            IamArns.AssumedRole(account, role.RoleName, sessionName),
            $"{role.RoleId}:{sessionName}",
            AccessKeyId: null,
            new SessionFacts(now, now.AddHours(1), MultiFactorAuthPresent: false, MultiFactorAuthTime: null, SourceIdentity: null) { RoleArn = role.Arn });
    }
}
