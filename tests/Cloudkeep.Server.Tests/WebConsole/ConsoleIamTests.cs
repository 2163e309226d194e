using System.Net;
using Amazon.Runtime;
using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The IAM pages: each runs the IAM operation as the signed-in person, so the engine decides what they show.</summary>
public sealed class ConsoleIamTests : IAsyncLifetime
{
    private const string Password = "Correct-Horse-42";
    private const string Everything = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private const string ReadS3 = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    private TestServer _server = null!;
    private ConsoleClient _admin = null!;
    private string _policyArn = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await ConsoleClient.CreateUserAsync(_server, "admin", Password, inlinePolicy: Everything);
        await ConsoleClient.CreateUserAsync(_server, "nobody", Password);
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(_server.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        var created = await iam.CallAsync("CreatePolicy", [new("PolicyName", "read-s3"), new("PolicyDocument", ReadS3)], CancellationToken.None);
        _policyArn = IamClient.Descendant(created, "Arn")!;
        _admin = new ConsoleClient(_server.Endpoint);
        await _admin.FollowAsync(await _admin.SignInAsync(_server.AccountId, "admin", Password));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Users_CreateViewGroupAttachDelete_RunAsTheSignedInAdmin()
    {
        var list = await _admin.GetAsync("/console/iam/users");
        Assert.Contains(">admin</a>", list.Body, StringComparison.Ordinal);

        var created = await _admin.FollowAsync(await _admin.PostAsync("/console/iam/users/create", new Dictionary<string, string> { ["userName"] = "carol" }));
        Assert.Contains($"arn:aws:iam::{_server.AccountId}:user/carol", created.Body, StringComparison.Ordinal);
        await _admin.PostAsync("/console/iam/groups/create", new Dictionary<string, string> { ["groupName"] = "readers" });
        var grouped = await _admin.PostAsync("/console/iam/user/addgroup", new Dictionary<string, string> { ["name"] = "carol", ["group"] = "readers" });
        Assert.Contains("Added to the group.", grouped.Body, StringComparison.Ordinal);
        var attached = await _admin.PostAsync("/console/iam/user/attach", new Dictionary<string, string> { ["name"] = "carol", ["policyArn"] = _policyArn });
        Assert.Contains(">read-s3</a>", attached.Body, StringComparison.Ordinal);

        // IAM refuses to delete a user still in a group or with policies: the engine's message is the page's.
        var refused = await _admin.PostAsync("/console/iam/user/delete", new Dictionary<string, string> { ["name"] = "carol" });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("DeleteConflict", refused.Body, StringComparison.Ordinal);

        await _admin.PostAsync("/console/iam/user/removegroup", new Dictionary<string, string> { ["name"] = "carol", ["group"] = "readers" });
        await _admin.PostAsync("/console/iam/user/detach", new Dictionary<string, string> { ["name"] = "carol", ["policyArn"] = _policyArn });
        var deleted = await _admin.PostAsync("/console/iam/user/delete", new Dictionary<string, string> { ["name"] = "carol" });
        Assert.Contains("User carol deleted.", deleted.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(">carol</a>", deleted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_WithoutPermission_ShowTheEnginesDenial()
    {
        using var nobody = new ConsoleClient(_server.Endpoint);
        await nobody.FollowAsync(await nobody.SignInAsync(_server.AccountId, "nobody", Password));

        var page = await nobody.GetAsync("/console/iam/users");

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains($"User: arn:aws:iam::{_server.AccountId}:user/nobody is not authorized to perform: iam:ListUsers", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleActions_RecordedInCloudTrail_AsThePersonFromTheConsole_RefusalsWithTheirError()
    {
        await _admin.PostAsync("/console/iam/users/create", new Dictionary<string, string> { ["userName"] = "audited-in-console" });
        using var nobody = new ConsoleClient(_server.Endpoint);
        await nobody.FollowAsync(await nobody.SignInAsync(_server.AccountId, "nobody", Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/console/iam/users")).Status);

        var root = Cli.Root(_server);
        var created = await CloudTrail.CloudTrailFixture.WaitForEventAsync(root, "us-east-1", "ResourceName", "audited-in-console", r => r.GetProperty("eventName").GetString() == "CreateUser");
        Assert.Equal(("IAMUser", "admin"), (created.GetProperty("userIdentity").GetProperty("type").GetString(), created.GetProperty("userIdentity").GetProperty("userName").GetString()));
        Assert.Equal("true", created.GetProperty("sessionCredentialFromConsole").GetString());
        Assert.Equal("audited-in-console", created.GetProperty("requestParameters").GetProperty("userName").GetString());
        var denied = await CloudTrail.CloudTrailFixture.WaitForEventAsync(root, "us-east-1", "Username", "nobody", r => r.GetProperty("eventName").GetString() == "ListUsers");
        Assert.Equal("AccessDenied", denied.GetProperty("errorCode").GetString());
        Assert.Equal("true", denied.GetProperty("sessionCredentialFromConsole").GetString());
    }

    [Fact]
    public async Task PolicyEditor_InvalidJson_KeepsTheDraftWithTheEnginesMessage_ValidSavesANewDefault()
    {
        var page = await _admin.GetAsync("/console/iam/policy?arn=" + Uri.EscapeDataString(_policyArn));
        Assert.Contains("s3:GetObject", page.Body, StringComparison.Ordinal);

        const string Broken = """{"Version":"2012-10-17","Statement":[{"Effect":"Allw","Action":"s3:GetObject","Resource":"*"}]}""";
        var bad = await _admin.PostAsync("/console/iam/policy/edit", new Dictionary<string, string> { ["arn"] = _policyArn, ["document"] = Broken });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("MalformedPolicyDocument", bad.Body, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("Allw").Replace("\"", "&quot;", StringComparison.Ordinal), bad.Body, StringComparison.Ordinal);

        const string Fixed = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}""";
        var good = await _admin.PostAsync("/console/iam/policy/edit", new Dictionary<string, string> { ["arn"] = _policyArn, ["document"] = Fixed });
        Assert.Contains("Saved: the new version is the default.", good.Body, StringComparison.Ordinal);
        Assert.Contains("<dd>v2</dd>", good.Body, StringComparison.Ordinal);
        Assert.Contains("s3:ListBucket", good.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordPolicy_Saved_IsWhatTheChangePasswordRulesSay()
    {
        var saved = await _admin.PostAsync("/console/iam/passwordpolicy", new Dictionary<string, string> { ["MinimumPasswordLength"] = "14", ["RequireNumbers"] = "true", ["AllowUsersToChangePassword"] = "true" });

        Assert.Contains("Password policy saved.", saved.Body, StringComparison.Ordinal);
        Assert.Contains("value=\"14\"", saved.Body, StringComparison.Ordinal);
        var change = await _admin.PostAsync("/console/security/password", new Dictionary<string, string> { ["oldPassword"] = Password, ["newPassword"] = "short-one", ["confirmPassword"] = "short-one" });
        Assert.Contains("Password should have at least 14 characters", change.Body, StringComparison.Ordinal);
        Assert.Contains("Password should have at least one number", change.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulator_AnswersPerActionForThePrincipal()
    {
        var result = await _admin.PostAsync("/console/iam/simulator", new Dictionary<string, string>
        {
            ["principal"] = $"arn:aws:iam::{_server.AccountId}:user/nobody",
            ["actions"] = "s3:GetObject iam:ListUsers",
            ["resources"] = "",
        });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("<td class=\"decision\">implicitDeny</td>", result.Body, StringComparison.Ordinal);
        Assert.Contains("<td>iam:ListUsers</td>", result.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsAndReport_GroupsRolesPoliciesAndTheCredentialReport()
    {
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/console/iam/groups")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/console/iam/roles")).Status);
        var policies = await _admin.GetAsync("/console/iam/policies");
        Assert.Contains(">read-s3</a>", policies.Body, StringComparison.Ordinal);
        var aws = await _admin.GetAsync("/console/iam/policies?scope=AWS");
        Assert.Contains(">AdministratorAccess</a>", aws.Body, StringComparison.Ordinal);

        var report = await _admin.GetAsync("/console/iam/credentialreport");
        Assert.Equal("text/csv", report.Response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("user,arn,", report.Body, StringComparison.Ordinal);
        Assert.Contains("admin,", report.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserCredentials_AnAdministratorSetsAPasswordAndManagesAnotherUsersKeys()
    {
        await _admin.PostAsync("/console/iam/users/create", new Dictionary<string, string> { ["userName"] = "dora" });

        var enabled = await _admin.PostAsync("/console/iam/user/password", new Dictionary<string, string> { ["name"] = "dora", ["password"] = "First-Password-1", ["reset"] = "true" });
        Assert.Contains("Console password set.", enabled.Body, StringComparison.Ordinal);
        Assert.Contains("must set a new password at the next sign-in", enabled.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("First-Password-1", enabled.Body, StringComparison.Ordinal);
        using (var dora = new ConsoleClient(_server.Endpoint))
        {
            var signedIn = await dora.SignInAsync(_server.AccountId, "dora", "First-Password-1");
            Assert.Equal("/console/password", signedIn.Response.Headers.Location!.ToString());
        }

        var created = await _admin.PostAsync("/console/iam/user/keys/create", new Dictionary<string, string> { ["name"] = "dora" });
        var keyId = System.Text.RegularExpressions.Regex.Match(created.Body, "id=\"access-key-id\">([A-Z0-9]+)<").Groups[1].Value;
        Assert.StartsWith("AKIA", keyId, StringComparison.Ordinal);
        var user = await _admin.GetAsync("/console/iam/user?name=dora");
        Assert.Contains(keyId, user.Body, StringComparison.Ordinal);
        var inactive = await _admin.PostAsync("/console/iam/user/keys/status", new Dictionary<string, string> { ["name"] = "dora", ["accessKeyId"] = keyId, ["status"] = "Inactive" });
        Assert.Contains("The access key is now inactive.", inactive.Body, StringComparison.Ordinal);
        var deleted = await _admin.PostAsync("/console/iam/user/keys/delete", new Dictionary<string, string> { ["name"] = "dora", ["accessKeyId"] = keyId });
        Assert.DoesNotContain(keyId, deleted.Body, StringComparison.Ordinal);
        var disabled = await _admin.PostAsync("/console/iam/user/password/delete", new Dictionary<string, string> { ["name"] = "dora" });
        Assert.Contains("No console password.", disabled.Body, StringComparison.Ordinal);
    }
}
