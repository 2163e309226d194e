using CsCheck;

namespace Cloudkeep.Estate.Tests;

/// <summary>variables: and ${var.NAME}, --var overrides, and the suggestions bad input gets.</summary>
public sealed class EstateVariablesTests
{
    private const string Estate = """
        variables:
          officeIps: [203.0.113.0/24, 198.51.100.10/32]
          team: web
        accounts:
          main:
            management: true
            policies:
              office-only:
                description: Only from ${var.team} offices
                document:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Deny
                      Action: "*"
                      Resource: "*"
                      Condition: {NotIpAddress: {"aws:SourceIp": "${var.officeIps}"}}
        """;

    [Fact]
    public void Parse_WholeReference_TakesTheListAndInnerReferenceTheText()
    {
        var policy = EstateParser.Parse(Estate, ".").Resources.Single();

        Assert.Contains("\"aws:SourceIp\":[\"203.0.113.0/24\",\"198.51.100.10/32\"]", policy.Fields["document"], StringComparison.Ordinal);
        Assert.Equal("Only from web offices", policy.Fields["description"]);
    }

    [Fact]
    public void Parse_VarOverride_ReplacesTheDefault()
    {
        var policy = EstateParser.Parse(Estate, ".", variables: new Dictionary<string, string> { ["officeIps"] = "[127.0.0.1/32]", ["team"] = "ops" }).Resources.Single();

        Assert.Contains("\"aws:SourceIp\":[\"127.0.0.1/32\"]", policy.Fields["document"], StringComparison.Ordinal);
        Assert.Equal("Only from ops offices", policy.Fields["description"]);
    }

    [Fact]
    public void Parse_VariableInAPolicyFile_IsReplacedToo()
    {
        var directory = Directory.CreateTempSubdirectory("cloudkeep-vars-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "ip.json"), """{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "${var.officeIps}"}}}]}""");
            File.WriteAllText(Path.Combine(directory.FullName, "ip.yaml"), "Version: '2012-10-17'\nStatement: [{Effect: Deny, Action: '*', Resource: '*', Condition: {NotIpAddress: {'aws:SourceIp': '${var.officeIps}'}}}]\n");
            var text = "variables: {officeIps: [10.0.0.0/8]}\naccounts:\n  main:\n    management: true\n    policies:\n      a: {document: ip.json}\n      b: {document: ip.yaml}\n";

            var documents = EstateParser.Parse(text, directory.FullName).Resources.Select(r => r.Fields["document"]).ToList();

            Assert.All(documents, d => Assert.Contains("\"aws:SourceIp\":[\"10.0.0.0/8\"]", d, StringComparison.Ordinal));
            Assert.Equal(documents[0], documents[1]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_UndeclaredVariableAndListInText_AreReportedWithSuggestions()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse(Estate
            .Replace("\"${var.officeIps}\"", "\"${var.officeIp}\"", StringComparison.Ordinal)
            .Replace("${var.team} offices", "${var.officeIps} offices", StringComparison.Ordinal), "."));

        Assert.Contains(error.Errors, e => e.Contains("no variable 'officeIp' is declared under 'variables'; did you mean 'officeIps'?", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("${var.officeIps} is a list or mapping: it can only stand alone", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_VarForAnUndeclaredVariable_IsRefused()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse(Estate, ".", variables: new Dictionary<string, string> { ["officeIPs"] = "[]" }));

        Assert.Contains(error.Errors, e => e.Contains("--var officeIPs: the file declares no such variable; did you mean 'officeIps'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MisspeltKey_SuggestsTheKnownOne()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main:
                management: true
                roles:
                  web:
                    trustPolicys: {Version: "2012-10-17", Statement: []}
            """, "."));

        Assert.Contains(error.Errors, e => e.StartsWith("line 6: accounts.main.roles.web.trustPolicys: unknown key; did you mean 'trustPolicy'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UserInAnUndeclaredGroup_IsReported()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main:
                management: true
                groups: {Developers: {}}
                users: {alice: {groups: [Developer]}}
            """, "."));

        Assert.Contains(error.Errors, e => e.Contains("user main/alice: groups: no group 'Developer' is declared in account 'main'; did you mean 'Developers'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_KeyInAnotherRegion_IsNamedAliasAtRegion()
    {
        var document = EstateParser.Parse("""
            accounts:
              main:
                management: true
                keys:
                  sops: {description: primary}
                  sops@eu-west-2: {description: secondary}
            """, ".");

        Assert.Equal(["sops", "sops@eu-west-2"], document.Resources.Where(r => r.Kind == ResourceKind.Key).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Throws<EstateValidationException>(() => EstateParser.Parse("accounts:\n  main:\n    management: true\n    keys:\n      'bad@nowhere': {}\n", "."));
    }

    [Fact]
    public void Suggestions_Distance_IsAMetric()
    {
        Gen.Select(Gen.String[0, 12], Gen.String[0, 12], Gen.String[0, 12]).Sample((a, b, c) =>
            Suggestions.Distance(a, a) == 0
            && Suggestions.Distance(a, b) == Suggestions.Distance(b, a)
            && Suggestions.Distance(a, c) <= Suggestions.Distance(a, b) + Suggestions.Distance(b, c)
            && Suggestions.Distance(a, b) <= Math.Max(a.Length, b.Length));
    }
}
