using System.Text.Json;

namespace Cloudkeep.Server.Tests.Organizations;

/// <summary>Organizational units through the AWS CLI: the tree, moving accounts, SCPs on OUs, and bad input that changes nothing.</summary>
public abstract class OrganizationalUnitTests(ScpEstate estate)
{
    private async Task<string> CreateAsync(string parent, string name) =>
        (await estate.Root.RunAsync("organizations", "create-organizational-unit", "--parent-id", parent, "--name", name))
            .GetProperty("OrganizationalUnit").GetProperty("Id").GetString()!;

    private async Task MoveAsync(string account, string from, string to) =>
        await estate.Root.RunAsync("organizations", "move-account", "--account-id", estate.Accounts[account], "--source-parent-id", from, "--destination-parent-id", to);

    private static List<string> Ids(JsonElement answer, string member) => [.. answer.GetProperty(member).EnumerateArray().Select(e => e.GetProperty("Id").GetString()!)];

    [Fact]
    public async Task Tree_AccountsAndOus_AreListedFromTheParentAndFromTheChild()
    {
        var workloads = await CreateAsync(estate.RootId, "tree-workloads");
        var prod = await CreateAsync(workloads, "prod");
        Assert.Matches("^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$", prod);

        await MoveAsync("sandbox", estate.RootId, prod);
        try
        {
            Assert.Equal([estate.Accounts["sandbox"]], Ids(await estate.Root.RunAsync("organizations", "list-children", "--parent-id", prod, "--child-type", "ACCOUNT"), "Children"));
            Assert.Equal([prod], Ids(await estate.Root.RunAsync("organizations", "list-children", "--parent-id", workloads, "--child-type", "ORGANIZATIONAL_UNIT"), "Children"));
            Assert.Equal([estate.Accounts["sandbox"]], Ids(await estate.Root.RunAsync("organizations", "list-accounts-for-parent", "--parent-id", prod), "Accounts"));
            Assert.Contains(workloads, Ids(await estate.Root.RunAsync("organizations", "list-organizational-units-for-parent", "--parent-id", estate.RootId), "OrganizationalUnits"));
            Assert.DoesNotContain(estate.Accounts["sandbox"], Ids(await estate.Root.RunAsync("organizations", "list-accounts-for-parent", "--parent-id", estate.RootId), "Accounts"));

            var parent = (await estate.Root.RunAsync("organizations", "list-parents", "--child-id", estate.Accounts["sandbox"])).GetProperty("Parents")[0];
            Assert.Equal(prod, parent.GetProperty("Id").GetString());
            Assert.Equal("ORGANIZATIONAL_UNIT", parent.GetProperty("Type").GetString());
            var top = (await estate.Root.RunAsync("organizations", "list-parents", "--child-id", workloads)).GetProperty("Parents")[0];
            Assert.Equal("ROOT", top.GetProperty("Type").GetString());

            var renamed = (await estate.Root.RunAsync("organizations", "update-organizational-unit", "--organizational-unit-id", prod, "--name", "production")).GetProperty("OrganizationalUnit");
            Assert.Equal("production", renamed.GetProperty("Name").GetString());
            var described = (await estate.Root.RunAsync("organizations", "describe-organizational-unit", "--organizational-unit-id", prod)).GetProperty("OrganizationalUnit");
            Assert.Equal("production", described.GetProperty("Name").GetString());
            Assert.EndsWith($"/{prod}", described.GetProperty("Arn").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await MoveAsync("sandbox", prod, estate.RootId);
        }

        await estate.Root.RunAsync("organizations", "delete-organizational-unit", "--organizational-unit-id", prod);
        await estate.Root.RunAsync("organizations", "delete-organizational-unit", "--organizational-unit-id", workloads);
        Assert.Contains("(OrganizationalUnitNotFoundException)", await estate.Root.FailAsync("organizations", "describe-organizational-unit", "--organizational-unit-id", prod), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScpOnAnOu_GovernsTheAccountsBelowIt_UntilTheyMoveOut()
    {
        var restricted = await CreateAsync(estate.RootId, "scp-restricted");
        var inner = await CreateAsync(restricted, "inner");
        var policy = await estate.CreateScpAsync("ou-deny-list-buckets", ScpEstate.Deny("s3:ListAllMyBuckets"));
        await estate.Root.RunAsync("organizations", "attach-policy", "--policy-id", policy, "--target-id", restricted);
        var targets = (await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", policy)).GetProperty("Targets");
        Assert.Equal("ORGANIZATIONAL_UNIT", targets[0].GetProperty("Type").GetString());
        Assert.Equal("scp-restricted", targets[0].GetProperty("Name").GetString());

        // New OUs get FullAWSAccess, so the inner OU allows what its parent allows.
        var innerPolicies = (await estate.Root.RunAsync("organizations", "list-policies-for-target", "--target-id", inner, "--filter", "SERVICE_CONTROL_POLICY")).GetProperty("Policies");
        Assert.Equal("FullAWSAccess", Assert.Single(innerPolicies.EnumerateArray()).GetProperty("Name").GetString());

        var member = await estate.InMemberAsync("audited");
        await member.RunAsync("s3api", "list-buckets");
        await MoveAsync("audited", estate.RootId, inner);
        try
        {
            Assert.Contains("explicit deny in a service control policy", await member.FailAsync("s3api", "list-buckets"), StringComparison.Ordinal);
        }
        finally
        {
            await MoveAsync("audited", inner, estate.RootId);
        }

        await member.RunAsync("s3api", "list-buckets");
        await estate.Root.RunAsync("organizations", "delete-organizational-unit", "--organizational-unit-id", inner);
        await estate.Root.RunAsync("organizations", "delete-organizational-unit", "--organizational-unit-id", restricted);
        Assert.Empty((await estate.Root.RunAsync("organizations", "list-targets-for-policy", "--policy-id", policy)).GetProperty("Targets").EnumerateArray());
    }

    [Fact]
    public async Task BadInput_GetsAwsErrorsAndChangesNothing()
    {
        var unit = await CreateAsync(estate.RootId, "bad-input");
        await MoveAsync("sandbox", estate.RootId, unit);
        try
        {
            Assert.Contains("(DuplicateOrganizationalUnitException)", await estate.Root.FailAsync("organizations", "create-organizational-unit", "--parent-id", estate.RootId, "--name", "bad-input"), StringComparison.Ordinal);
            Assert.Contains("(ParentNotFoundException)", await estate.Root.FailAsync("organizations", "create-organizational-unit", "--parent-id", "ou-abcd-12345678", "--name", "x"), StringComparison.Ordinal);
            Assert.Contains("(OrganizationalUnitNotEmptyException)", await estate.Root.FailAsync("organizations", "delete-organizational-unit", "--organizational-unit-id", unit), StringComparison.Ordinal);
            Assert.Contains("(SourceParentNotFoundException)", await estate.Root.FailAsync("organizations", "move-account", "--account-id", estate.Accounts["sandbox"], "--source-parent-id", estate.RootId, "--destination-parent-id", unit), StringComparison.Ordinal);
            Assert.Contains("(DuplicateAccountException)", await estate.Root.FailAsync("organizations", "move-account", "--account-id", estate.Accounts["sandbox"], "--source-parent-id", unit, "--destination-parent-id", unit), StringComparison.Ordinal);
            Assert.Contains("(DestinationParentNotFoundException)", await estate.Root.FailAsync("organizations", "move-account", "--account-id", estate.Accounts["sandbox"], "--source-parent-id", unit, "--destination-parent-id", "ou-abcd-12345678"), StringComparison.Ordinal);
            Assert.Contains("(InvalidInputException)", await estate.Root.FailAsync("organizations", "create-organizational-unit", "--parent-id", "not-an-id", "--name", "x"), StringComparison.Ordinal);
            var member = await estate.InMemberAsync("audited");
            Assert.Contains("(AccessDeniedException)", await member.FailAsync("organizations", "create-organizational-unit", "--parent-id", estate.RootId, "--name", "from-member"), StringComparison.Ordinal);

            // Five levels under the root at most.
            var parent = unit;
            for (var depth = 2; depth <= 5; depth++)
            {
                parent = await CreateAsync(parent, $"level-{depth}");
            }

            var tooDeep = await estate.Root.FailAsync("organizations", "create-organizational-unit", "--parent-id", parent, "--name", "level-6");
            Assert.Contains("(ConstraintViolationException)", tooDeep, StringComparison.Ordinal);
            Assert.Empty((await estate.Root.RunAsync("organizations", "list-organizational-units-for-parent", "--parent-id", parent)).GetProperty("OrganizationalUnits").EnumerateArray());
            var names = (await estate.Root.RunAsync("organizations", "list-organizational-units-for-parent", "--parent-id", estate.RootId)).GetProperty("OrganizationalUnits")
                .EnumerateArray().Select(u => u.GetProperty("Name").GetString()).ToList();
            Assert.DoesNotContain("x", names);
            Assert.DoesNotContain("from-member", names);
            Assert.Single(names, n => n == "bad-input");
        }
        finally
        {
            await MoveAsync("sandbox", unit, estate.RootId);
        }
    }
}

public sealed class OrganizationalUnitTestsOnSqlite(ScpEstate estate) : OrganizationalUnitTests(estate), IClassFixture<ScpEstate>;

public sealed class OrganizationalUnitTestsOnPostgres(ScpEstateOnPostgres estate) : OrganizationalUnitTests(estate), IClassFixture<ScpEstateOnPostgres>;
