using Cloudkeep.Client;
using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>Malformed policies and reference cycles: a clear error before anything is changed.</summary>
public sealed class EstateBadInputTests
{
    [Theory]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Maybe, Action: 's3:GetObject', Resource: '*'}]}}", "Effect must be Allow or Deny")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Resource: '*'}]}}", "Action or NotAction is required")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'GetObject', Resource: '*'}]}}", "'GetObject' is not an action")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*', Principal: '*'}]}}", "has no Principal")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-18', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}}", "Version '2012-10-18'")]
    [InlineData("policies:\n      p: {document: {Version: '2012-10-17'}}", "'Statement' is required")]
    [InlineData("roles:\n      r: {trustPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sts:AssumeRole'}]}}", "Principal or NotPrincipal is required")]
    [InlineData("roles:\n      r: {trustPolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'sts:AssumeRole', Resource: '*'}]}}", "a trust policy has no Resource")]
    [InlineData("buckets:\n      my-bucket: {policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: {StringEquals: ['a']}}]}}", "Condition StringEquals maps condition keys")]
    [InlineData("keys:\n      k: {policy: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*', Sids: x}]}}", "unknown element 'Sids'")]
    public void Parse_MalformedPolicy_IsReportedWithItsLine(string section, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($"accounts:\n  main:\n    management: true\n    {section}\n", "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 5: ", StringComparison.Ordinal) && e.Contains("malformed policy: ", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_RolesTrustingEachOther_IsACycleReportedBeforeAnyChange()
    {
        await using var server = await TestServer.StartAsync();
        using var harness = new EstateHarness(server);
        var file = harness.Write("estate.yaml", """
            accounts:
              main:
                management: true
                users:
                  bystander: {}
                roles:
                  a: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "${role.main.b.arn}"}, Action: "sts:AssumeRole"}]}}
                  b: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "${role.main.a.arn}"}, Action: "sts:AssumeRole"}]}}
            """);

        var plan = await harness.PlanAsync(file);
        var apply = await harness.ApplyAsync(file);

        Assert.Equal(1, plan.Exit);
        Assert.Contains("refer to each other in a cycle, so none can be created first: role main/a, role main/b", plan.Error, StringComparison.Ordinal);
        Assert.Equal(1, apply.Exit);
        Assert.DoesNotContain("creating", apply.Output, StringComparison.Ordinal);
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(server.Endpoint), harness.Credentials, TimeProvider.System);
        Assert.Null(await iam.FindAsync("GetUser", [new("UserName", "bystander")], CancellationToken.None));
    }
}
