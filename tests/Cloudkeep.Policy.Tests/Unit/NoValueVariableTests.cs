using System.Text.Json.Nodes;
using Cloudkeep.Policy.Reference;

namespace Cloudkeep.Policy.Tests.Unit;

/// <summary>
/// A condition value whose variable has no value, beside a value too long for the compiled condition's stack
/// buffer: that path renders into strings instead, and must leave the null value out just the same.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
/// </summary>
public class NoValueVariableTests
{
    private static readonly string LongValue = new('x', 600);

    [Theory]
    [InlineData("StringEquals", true, true)]
    [InlineData("StringEquals", false, false)]
    [InlineData("StringNotEquals", true, false)]
    [InlineData("StringNotEquals", false, true)]
    [InlineData("StringLike", true, true)]
    [InlineData("StringNotLike", false, true)]
    public void Evaluate_NoValueVariableBesideLongValue_OtherValueStillCounts(string op, bool keyIsLongValue, bool allowed)
    {
        var statement = new JsonObject
        {
            ["Effect"] = "Allow",
            ["Action"] = "*",
            ["Resource"] = "*",
            ["Condition"] = new JsonObject { [op] = new JsonObject { ["aws:PrincipalTag/dept"] = new JsonArray("${aws:PrincipalTag/team}", LongValue) } },
        };
        var document = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray(statement) }.ToJsonString();
        var request = new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn("arn:aws:iam::111122223333:user/alice"),
            Action = "s3:GetObject",
            Resource = "arn:aws:s3:::amzn-s3-demo-bucket/photo.jpg",
            Context = new RequestContextBuilder().Set("aws:PrincipalTag/dept", keyIsLongValue ? LongValue : "blue").Build(),
            IdentityPolicies = [PolicyDocument.Parse(document, PolicyKind.ManagedIdentity, "p").GetPolicyOrThrow()],
        };

        Assert.Equal(allowed, PolicyEvaluator.Evaluate(request).IsAllowed);
        Assert.Equal(allowed, InterpretedEvaluator.Evaluate(request).IsAllowed);
    }
}
