using System.Text.Json;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>The AWS managed SecurityAudit policy: listed, readable, attachable, and read-only in effect.</summary>
public sealed class SecurityAuditPolicyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Arn = "arn:aws:iam::aws:policy/SecurityAudit";
    private readonly Cli _root = Cli.Root(fixture.Server);

    [Fact]
    public async Task GetPolicy_SecurityAudit_IsAwsManagedAtTheRootPath()
    {
        var policy = (await _root.RunAsync("iam", "get-policy", "--policy-arn", Arn)).GetProperty("Policy");
        Assert.Equal("SecurityAudit", policy.GetProperty("PolicyName").GetString());
        Assert.Equal("/", policy.GetProperty("Path").GetString());
        Assert.Equal(Arn, policy.GetProperty("Arn").GetString());
        Assert.StartsWith("ANPA", policy.GetProperty("PolicyId").GetString(), StringComparison.Ordinal);
        Assert.True(policy.GetProperty("IsAttachable").GetBoolean());

        var version = (await _root.RunAsync("iam", "get-policy-version", "--policy-arn", Arn, "--version-id", policy.GetProperty("DefaultVersionId").GetString()!)).GetProperty("PolicyVersion");
        Assert.True(version.GetProperty("IsDefaultVersion").GetBoolean());
        var statement = Assert.Single(Document(version).GetProperty("Statement").EnumerateArray());
        Assert.Equal("BaseSecurityAuditStatement", statement.GetProperty("Sid").GetString());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        var actions = statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Superset(new HashSet<string> { "iam:Get*", "iam:List*", "kms:Describe*", "organizations:List*", "s3:GetBucket*", "s3:ListAllMyBuckets" }, actions.ToHashSet());
        Assert.All(actions, a => Assert.Matches(@":(Get|List|Describe|Generate|Simulate|Lookup)", a));

        var listed = await _root.RunAsync("iam", "list-policies", "--scope", "AWS");
        Assert.Contains(listed.GetProperty("Policies").EnumerateArray(), p => p.GetProperty("Arn").GetString() == Arn);
        var local = await _root.RunAsync("iam", "list-policies", "--scope", "Local");
        Assert.DoesNotContain(local.GetProperty("Policies").EnumerateArray(), p => p.GetProperty("Arn").GetString() == Arn);
    }

    [Fact]
    public async Task SecurityAudit_AttachedToAGroup_AllowsReadsAndDeniesWrites()
    {
        await _root.RunAsync("iam", "create-group", "--group-name", "auditors");
        await _root.RunAsync("iam", "attach-group-policy", "--group-name", "auditors", "--policy-arn", Arn);
        await _root.RunAsync("s3api", "create-bucket", "--bucket", "audit-evidence", "--create-bucket-configuration", "LocationConstraint=eu-west-1");
        var auditor = await _root.CreateUserWithKeyAsync("auditor", "auditors");

        await auditor.RunAsync("iam", "list-users");
        await auditor.RunAsync("iam", "get-account-authorization-details");
        await auditor.RunAsync("kms", "list-keys");
        await auditor.RunAsync("organizations", "describe-organization");
        Assert.Contains(
            (await auditor.RunAsync("s3api", "list-buckets")).GetProperty("Buckets").EnumerateArray(),
            b => b.GetProperty("Name").GetString() == "audit-evidence");
        await auditor.RunAsync("s3api", "get-bucket-acl", "--bucket", "audit-evidence");

        Assert.Contains("AccessDenied", await auditor.FailAsync("iam", "create-user", "--user-name", "intruder"), StringComparison.Ordinal);
        Assert.Contains("AccessDenied", await auditor.FailAsync("kms", "create-key"), StringComparison.Ordinal);
        Assert.Contains("AccessDenied", await auditor.FailAsync("s3api", "put-object", "--bucket", "audit-evidence", "--key", "planted.txt"), StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", await _root.FailAsync("iam", "get-user", "--user-name", "intruder"), StringComparison.Ordinal);

        var attached = await _root.RunAsync("iam", "list-attached-group-policies", "--group-name", "auditors");
        Assert.Contains(attached.GetProperty("AttachedPolicies").EnumerateArray(), p => p.GetProperty("PolicyArn").GetString() == Arn);
    }

    [Fact]
    public async Task SecurityAudit_AttachedToARole_SimulatesReadsAllowedAndWritesDenied()
    {
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{fixture.Server.AccountId}}:root"},"Action":"sts:AssumeRole"}]}""";
        var role = (await _root.RunAsync("iam", "create-role", "--role-name", "security-audit", "--assume-role-policy-document", trust)).GetProperty("Role").GetProperty("Arn").GetString()!;
        await _root.RunAsync("iam", "attach-role-policy", "--role-name", "security-audit", "--policy-arn", Arn);

        var result = await _root.RunAsync("iam", "simulate-principal-policy", "--policy-source-arn", role, "--action-names",
            "iam:ListRoles", "kms:GetKeyPolicy", "s3:GetBucketPolicy", "organizations:ListAccounts", "iam:CreateUser", "s3:GetObject", "kms:Decrypt", "organizations:UpdatePolicy");
        var decisions = result.GetProperty("EvaluationResults").EnumerateArray()
            .ToDictionary(r => r.GetProperty("EvalActionName").GetString()!, r => r.GetProperty("EvalDecision").GetString()!);
        Assert.Equal("allowed", decisions["iam:ListRoles"]);
        Assert.Equal("allowed", decisions["kms:GetKeyPolicy"]);
        Assert.Equal("allowed", decisions["s3:GetBucketPolicy"]);
        Assert.Equal("allowed", decisions["organizations:ListAccounts"]);
        Assert.Equal("implicitDeny", decisions["iam:CreateUser"]);
        Assert.Equal("implicitDeny", decisions["s3:GetObject"]);
        Assert.Equal("implicitDeny", decisions["kms:Decrypt"]);
        Assert.Equal("implicitDeny", decisions["organizations:UpdatePolicy"]);
    }

    private static JsonElement Document(JsonElement version)
    {
        var document = version.GetProperty("Document");
        return document.ValueKind == JsonValueKind.String ? JsonDocument.Parse(Uri.UnescapeDataString(document.GetString()!)).RootElement : document;
    }
}
