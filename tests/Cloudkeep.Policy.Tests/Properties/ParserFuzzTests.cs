using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Policy.Tests.Generators;
using CsCheck;

namespace Cloudkeep.Policy.Tests.Properties;

public class ParserFuzzTests
{
    [Fact]
    public void Parse_ArbitraryText_NeverThrows()
    {
        Gen.Select(Gen.String, Gen.Enum<PolicyKind>()).Sample((text, kind) =>
        {
            var result = PolicyDocument.Parse(text, kind);
            Assert.Equal(result.IsValid, result.Errors.Count == 0);
        }, iter: 20_000);
    }

    [Fact]
    public void Parse_MutatedValidDocument_NeverThrowsAndEvaluates()
    {
        // Byte-level mutations of real documents reach deep into the grammar (wrong types, truncation, stray
        // characters); whatever survives validation must also evaluate without throwing.
        var request = new EvaluationRequest
        {
            Principal = PrincipalInfo.FromArn("arn:aws:iam::111122223333:user/alice"),
            Action = "s3:GetObject",
            Resource = "arn:aws:s3:::b/k1",
            Context = RequestContext.Empty.With("aws:username", "alice").With("aws:SourceIp", "203.0.113.5"),
        };
        Gen.Select(PolicyGenerators.Policy(), Gen.Int[0, 4].Array[1, 6], Gen.Int, Gen.Char).Sample((policy, ops, position, c) =>
        {
            var text = new StringBuilder(policy.ToJsonString());
            foreach (var op in ops)
            {
                var at = (int)((uint)position % (uint)Math.Max(1, text.Length));
                switch (op)
                {
                    case 0: text.Insert(at, c); break;
                    case 1: text.Remove(at, Math.Min(1, text.Length - at)); break;
                    case 2: text.Length = at; break;
                    case 3: text.Insert(at, "[{\"\":"); break;
                    default: if (text.Length > at) { text[at] = c; } break;
                }

                position = position * 31 + 7;
            }

            var result = PolicyDocument.Parse(text.ToString(), PolicyKind.ManagedIdentity);
            if (result.Policy is { } compiled)
            {
                _ = PolicyEvaluator.Evaluate(request with { IdentityPolicies = [compiled] });
            }
        }, iter: 20_000);
    }

    public static TheoryData<string, int> Nesting => new()
    {
        { "[", 100 }, { "[", 100_000 }, { "{\"a\":", 100 }, { "{\"a\":", 50_000 },
    };

    [Theory]
    [MemberData(nameof(Nesting))]
    public void Parse_DeepNesting_RejectedAsMalformed(string opener, int depth)
    {
        var closer = opener == "[" ? "]" : "}";
        var json = $$"""{"Version":"2012-10-17","Statement":{{string.Concat(Enumerable.Repeat(opener, depth))}}1{{string.Concat(Enumerable.Repeat(closer, depth))}}}""";
        var result = PolicyDocument.Parse(json, PolicyKind.KmsKey);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Code is PolicyErrorCode.MalformedPolicyDocument);
    }

    [Theory]
    [InlineData(PolicyKind.KmsKey, 1_000)]
    [InlineData(PolicyKind.KmsKey, 1_000_000)]
    [InlineData(PolicyKind.ManagedIdentity, 1_000_000)]
    public void Parse_HugeArray_RejectedCleanly(PolicyKind kind, int count)
    {
        // Element counts within the size limit are grammar errors (numbers are not actions); beyond it the size
        // check answers before any parsing.
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":["
            + string.Join(",", Enumerable.Repeat("1", count)) + "],\"Resource\":\"*\"}}";
        var result = PolicyDocument.Parse(json, kind);
        Assert.False(result.IsValid);
        var expected = count > 10_000 ? SizeCode(kind) : PolicyErrorCode.MalformedPolicyDocument;
        Assert.Equal(expected, result.Errors[0].Code);
    }

    [Fact]
    public void Parse_ManyStatements_CompilesEveryStatement()
    {
        var statements = new JsonArray();
        for (var i = 0; i < 300; i++)
        {
            statements.Add(new JsonObject { ["Effect"] = "Allow", ["Principal"] = "*", ["Action"] = "s3:GetObject", ["Resource"] = $"arn:aws:s3:::b/{i}" });
        }

        var json = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString();
        var result = PolicyDocument.Parse(json, PolicyKind.KmsKey);
        Assert.True(result.IsValid);
        Assert.Equal(300, result.Policy!.StatementCount);
    }

    private static PolicyErrorCode SizeCode(PolicyKind kind) =>
        kind == PolicyKind.KmsKey ? PolicyErrorCode.MalformedPolicyDocument : PolicyErrorCode.LimitExceeded;
}
