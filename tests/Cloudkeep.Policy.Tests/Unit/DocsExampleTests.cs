namespace Cloudkeep.Policy.Tests.Unit;

/// <summary>Keeps the usage example in docs/policy-engine.md true.</summary>
public class DocsExampleTests
{
    private const string Document = """
        {"Version":"2012-10-17","Statement":[{"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
          "Resource":"arn:aws:s3:::reports/home/${aws:username}/*",
          "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}}]}
        """;

    [Theory]
    [InlineData("arn:aws:s3:::reports/home/alice/q3.csv", "203.0.113.42", true)]
    [InlineData("arn:aws:s3:::reports/home/bob/q3.csv", "203.0.113.42", false)]
    [InlineData("arn:aws:s3:::reports/home/alice/q3.csv", "198.51.100.1", false)]
    public void DocsExample_Request_DecidedAsDocumented(string resource, string sourceIp, bool allowed)
    {
        var cache = new PolicyCache();
        var identity = cache.GetOrCompile("arn:aws:iam::111122223333:policy/home-folders", "v3", Document, PolicyKind.ManagedIdentity)
            .GetPolicyOrThrow();
        var context = new RequestContextBuilder()
            .Set("aws:username", "alice")
            .Set("aws:SourceIp", sourceIp)
            .Set("aws:SecureTransport", "true")
            .Set("aws:CurrentTime", "2026-11-22T12:00:00Z")
            .Build();

        var decision = PolicyEvaluator.Evaluate(new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn("arn:aws:iam::111122223333:user/alice"),
            Action = "s3:GetObject",
            Resource = resource,
            ResourceAccount = "111122223333",
            Context = context,
            IdentityPolicies = [identity],
            ScpLevels = null,
        });

        Assert.Equal(allowed, decision.IsAllowed);
        if (allowed)
        {
            Assert.Equal([new MatchedStatement(PolicyType.Identity, "arn:aws:iam::111122223333:policy/home-folders", "Home", 0, PolicyEffect.Allow)], decision.Trace);
            Assert.Null(decision.ToAccessDeniedMessage());
        }
        else
        {
            Assert.Equal($"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: {resource} because no identity-based policy allows the s3:GetObject action",
                decision.ToAccessDeniedMessage());
        }
    }
}
