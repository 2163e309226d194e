using System.Globalization;
using System.Text.Json;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>
/// One entity, one date: what Create* answers is what Get* and List* give later, to the whole second as AWS shows
/// IAM dates. The server's clock stands at a time with milliseconds, so any sub-second precision would show.
/// </summary>
public sealed class IamCreateDateTests(FrozenClockFixture fixture) : IClassFixture<FrozenClockFixture>
{
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";

    private readonly Cli _root = Cli.Root(fixture.Server);

    public static TheoryData<string> Entities() => ["access key", "user", "role", "group", "policy", "policy version", "login profile"];

    [Theory]
    [MemberData(nameof(Entities))]
    public async Task CreateDate_CreateThenGetAndList_SameWholeSecond(string entity)
    {
        var instant = fixture.Freeze();
        var (created, read) = entity switch
        {
            "access key" => await AccessKeyAsync(),
            "user" => await UserAsync(),
            "role" => await RoleAsync(),
            "group" => await GroupAsync(),
            "policy" => await PolicyAsync(),
            "policy version" => await PolicyVersionAsync(),
            _ => await LoginProfileAsync(),
        };

        var date = DateTimeOffset.Parse(created, CultureInfo.InvariantCulture);
        Assert.Equal(0, date.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.Equal(instant.ToUnixTimeSeconds(), date.ToUnixTimeSeconds());
        Assert.NotEmpty(read);
        Assert.All(read, r => Assert.Equal(created, r));
    }

    private async Task<(string, string[])> AccessKeyAsync()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "dated-key-owner");
        var created = (await _root.RunAsync("iam", "create-access-key", "--user-name", "dated-key-owner")).GetProperty("AccessKey");
        var listed = (await _root.RunAsync("iam", "list-access-keys", "--user-name", "dated-key-owner")).GetProperty("AccessKeyMetadata")
            .EnumerateArray().Single(k => k.GetProperty("AccessKeyId").GetString() == created.GetProperty("AccessKeyId").GetString());
        return (Date(created), [Date(listed)]);
    }

    private async Task<(string, string[])> UserAsync()
    {
        var created = (await _root.RunAsync("iam", "create-user", "--user-name", "dated-user")).GetProperty("User");
        var fetched = (await _root.RunAsync("iam", "get-user", "--user-name", "dated-user")).GetProperty("User");
        var listed = Named((await _root.RunAsync("iam", "list-users")).GetProperty("Users"), "UserName", "dated-user");
        return (Date(created), [Date(fetched), Date(listed)]);
    }

    private async Task<(string, string[])> RoleAsync()
    {
        var created = (await _root.RunAsync("iam", "create-role", "--role-name", "dated-role", "--assume-role-policy-document", Trust)).GetProperty("Role");
        var fetched = (await _root.RunAsync("iam", "get-role", "--role-name", "dated-role")).GetProperty("Role");
        var listed = Named((await _root.RunAsync("iam", "list-roles")).GetProperty("Roles"), "RoleName", "dated-role");
        return (Date(created), [Date(fetched), Date(listed)]);
    }

    private async Task<(string, string[])> GroupAsync()
    {
        var created = (await _root.RunAsync("iam", "create-group", "--group-name", "dated-group")).GetProperty("Group");
        var fetched = (await _root.RunAsync("iam", "get-group", "--group-name", "dated-group")).GetProperty("Group");
        var listed = Named((await _root.RunAsync("iam", "list-groups")).GetProperty("Groups"), "GroupName", "dated-group");
        return (Date(created), [Date(fetched), Date(listed)]);
    }

    private async Task<(string, string[])> PolicyAsync()
    {
        var created = (await _root.RunAsync("iam", "create-policy", "--policy-name", "dated-policy", "--policy-document", Document)).GetProperty("Policy");
        var arn = created.GetProperty("Arn").GetString()!;
        var fetched = (await _root.RunAsync("iam", "get-policy", "--policy-arn", arn)).GetProperty("Policy");
        var listed = Named((await _root.RunAsync("iam", "list-policies", "--scope", "Local")).GetProperty("Policies"), "PolicyName", "dated-policy");
        var version = (await _root.RunAsync("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v1")).GetProperty("PolicyVersion");
        return (Date(created), [Date(created, "UpdateDate"), Date(fetched), Date(fetched, "UpdateDate"), Date(listed), Date(listed, "UpdateDate"), Date(version)]);
    }

    private async Task<(string, string[])> PolicyVersionAsync()
    {
        var arn = (await _root.RunAsync("iam", "create-policy", "--policy-name", "dated-versions", "--policy-document", Document)).GetProperty("Policy").GetProperty("Arn").GetString()!;
        var created = (await _root.RunAsync("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Document, "--set-as-default")).GetProperty("PolicyVersion");
        var fetched = (await _root.RunAsync("iam", "get-policy-version", "--policy-arn", arn, "--version-id", "v2")).GetProperty("PolicyVersion");
        var listed = Named((await _root.RunAsync("iam", "list-policy-versions", "--policy-arn", arn)).GetProperty("Versions"), "VersionId", "v2");
        var policy = (await _root.RunAsync("iam", "get-policy", "--policy-arn", arn)).GetProperty("Policy");
        return (Date(created), [Date(fetched), Date(listed), Date(policy, "UpdateDate")]);
    }

    private async Task<(string, string[])> LoginProfileAsync()
    {
        await _root.RunAsync("iam", "create-user", "--user-name", "dated-login");
        var created = (await _root.RunAsync("iam", "create-login-profile", "--user-name", "dated-login", "--password", "Dated-login-Passw0rd!")).GetProperty("LoginProfile");
        var fetched = (await _root.RunAsync("iam", "get-login-profile", "--user-name", "dated-login")).GetProperty("LoginProfile");
        return (Date(created), [Date(fetched)]);
    }

    private static JsonElement Named(JsonElement list, string property, string name) =>
        list.EnumerateArray().Single(e => e.GetProperty(property).GetString() == name);

    private static string Date(JsonElement entity, string property = "CreateDate") => entity.GetProperty(property).GetString()!;
}
