using System.Text.Json.Nodes;
using CsCheck;

namespace Cloudkeep.Policy.Tests.Generators;

/// <summary>
/// CsCheck generators for policies and requests drawn from small pools, so that random statements and requests
/// actually overlap (matching, non-matching and variable-dependent cases all occur often).
/// </summary>
internal static class PolicyGenerators
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";

    private static readonly string[] Actions = ["s3:GetObject", "s3:Get*", "s3:*", "*", "ec2:*", "s3:PutObject", "s3:?etObject", "S3:GETOBJECT", "s3:List*"];

    private static readonly string[] Resources =
    [
        "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k1", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::*", "arn:aws:s3:::c/*",
        "arn:aws:s3:::b/k?", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*",
    ];

    private static readonly string[] Conditions =
    [
        """{"StringEquals":{"aws:username":"alice"}}""",
        """{"StringNotEquals":{"aws:username":"alice"}}""",
        """{"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}""",
        """{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}""",
        """{"StringNotLike":{"s3:prefix":["home/*","tmp/*"]}}""",
        """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""",
        """{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}""",
        """{"Bool":{"aws:SecureTransport":"true"}}""",
        """{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}""",
        """{"NumericLessThan":{"s3:max-keys":"10"}}""",
        """{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}""",
        """{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}""",
        """{"DateLessThan":{"aws:CurrentTime":"2022-01-01T00:00:00Z"}}""",
        """{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}""",
        """{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}""",
        """{"StringEqualsIfExists":{"aws:RequestedRegion":"us-east-1"}}""",
        """{"Null":{"aws:TokenIssueTime":"true"}}""",
        """{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}""",
        """{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:t"}}""",
        """{"StringEquals":{"aws:PrincipalTag/team":"${aws:ResourceTag/team}"}}""",
        """{"StringNotEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}""",
        """{"StringLike":{"s3:prefix":["home/${aws:username}/*","tmp/*"]}}""",
        """{"StringNotEquals":{"aws:username":["${aws:PrincipalTag/team}","bob"]}}""",
    ];

    private static readonly (string Key, string[] Values)[] ContextEntries =
    [
        ("aws:username", ["alice"]), ("aws:username", ["bob"]), ("s3:prefix", ["home/alice/x"]), ("s3:prefix", ["tmp/y"]),
        ("aws:SourceIp", ["203.0.113.5"]), ("aws:SourceIp", ["198.51.100.1"]), ("aws:SourceIp", ["2001:db8::5"]),
        ("aws:SecureTransport", ["true"]), ("aws:SecureTransport", ["false"]), ("aws:MultiFactorAuthPresent", ["false"]),
        ("s3:max-keys", ["5"]), ("s3:max-keys", ["20"]), ("aws:CurrentTime", ["2021-06-01T00:00:00Z"]),
        ("aws:CurrentTime", ["2019-06-01T00:00:00Z"]), ("aws:TagKeys", ["a"]), ("aws:TagKeys", ["a", "c"]),
        ("aws:RequestedRegion", ["us-east-1"]), ("aws:RequestedRegion", ["eu-west-1"]), ("aws:TokenIssueTime", ["2021-01-01T00:00:00Z"]),
        ("aws:SourceArn", ["arn:aws:sns:us-east-1:111122223333:t"]), ("aws:SourceArn", ["arn:aws:sns:us-east-1:999999999999:t"]),
        ("aws:PrincipalTag/team", ["blue"]), ("aws:ResourceTag/team", ["blue"]), ("aws:ResourceTag/team", ["red"]),
    ];

    private static readonly string[] RequestActions = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "s3:ListBucket", "S3:getobject"];

    private static readonly string[] RequestResources =
        ["arn:aws:s3:::b/k1", "arn:aws:s3:::b/alice/x", "arn:aws:s3:::c/k", "arn:aws:s3:::b/kk", "arn:aws:s3:::b/shared/x"];

    private static readonly string[] Principals =
    [
        $"arn:aws:iam::{Account}:user/alice", $"arn:aws:sts::{Account}:assumed-role/app/s1", $"arn:aws:iam::{OtherAccount}:user/bob",
    ];

    private static readonly string[] PrincipalElements =
    [
        "\"*\"", $$"""{"AWS":"{{Account}}"}""", $$"""{"AWS":"arn:aws:iam::{{Account}}:user/alice"}""",
        $$"""{"AWS":"arn:aws:iam::{{Account}}:role/app"}""", $$"""{"AWS":"arn:aws:iam::{{OtherAccount}}:root"}""",
        $$"""{"AWS":"arn:aws:iam::{{OtherAccount}}:user/bob"}""", $$"""{"AWS":"arn:aws:sts::{{Account}}:assumed-role/app/s1"}""",
    ];

    public static Gen<string[]> ActionList => Gen.OneOf(Actions).Array[1, 3];

    public static Gen<string[]> ResourceList(bool withVariables) =>
        Gen.OneOf(withVariables ? Resources : [.. Resources.Where(r => !r.Contains('$', StringComparison.Ordinal))]).Array[1, 3];

    public static Gen<JsonObject> Statement(bool resourcePolicy, bool withVariables = true) =>
        Gen.Select(Gen.Int[0, 9], ActionList, Gen.Bool, ResourceList(withVariables), Gen.Int[0, 5], Gen.OneOf(Conditions).Array[0, 2], Gen.OneOf(PrincipalElements))
            .Select((effect, actions, notAction, resources, notResource, conditions, principal) =>
            {
                var s = new JsonObject { ["Effect"] = effect < 7 ? "Allow" : "Deny" };
                if (resourcePolicy)
                {
                    s["Principal"] = JsonNode.Parse(principal);
                }

                s[notAction && actions.Length < 3 ? "NotAction" : "Action"] = Strings(actions);
                s[notResource == 0 ? "NotResource" : "Resource"] = Strings(resources);
                if (conditions.Length > 0)
                {
                    var block = new JsonObject();
                    foreach (var c in conditions.Distinct())
                    {
                        foreach (var (op, keys) in JsonNode.Parse(c)!.AsObject())
                        {
                            var target = block[op] as JsonObject ?? (JsonObject)(block[op] = new JsonObject());
                            foreach (var (key, value) in keys!.AsObject())
                            {
                                target[key] = value!.DeepClone();
                            }
                        }
                    }

                    s["Condition"] = block;
                }

                return s;
            });

    public static Gen<JsonObject> Policy(bool resourcePolicy = false, bool withVariables = true) =>
        Gen.Select(Statement(resourcePolicy, withVariables).Array[1, 4], Gen.Int[0, 9])
            .Select((statements, version) => new JsonObject
            {
                ["Version"] = version == 0 ? "2008-10-17" : "2012-10-17",
                ["Statement"] = new JsonArray([.. statements]),
            });

    // globalKeysOnly leaves out service keys (s3:prefix, ...) and aws:ResourceTag/*, which other evaluators drop for
    // actions whose resource types do not define them.
    public static Gen<Scenario> Scenario(bool withScps = true, bool withVariables = true, bool globalKeysOnly = false) =>
        Gen.Select(
            Gen.Select(Gen.OneOf(Principals), Gen.OneOf(RequestActions), Gen.OneOf(RequestResources), Gen.Bool),
            Gen.OneOf(globalKeysOnly ? [.. ContextEntries.Where(e => e.Key.StartsWith("aws:", StringComparison.Ordinal) && !e.Key.StartsWith("aws:ResourceTag/", StringComparison.Ordinal))] : ContextEntries).Array[0, 6],
            Policy(withVariables: withVariables).Array[0, 3],
            Gen.Select(Gen.Int[0, 3], Policy(withVariables: withVariables)),
            Gen.Select(Gen.Int[0, 2], Policy(resourcePolicy: true, withVariables: withVariables)),
            Gen.Select(Gen.Int[0, 3], Policy(withVariables: withVariables).Array[1, 2].Array[1, 2]))
            .Select((who, context, identity, boundary, resource, scps) =>
            {
                var (principal, action, res, crossAccount) = who;
                var distinct = context.GroupBy(c => c.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
                return new Scenario(
                    principal, action, res, crossAccount ? Account : null, distinct, identity,
                    boundary.Item1 == 0 ? boundary.Item2 : null,
                    resource.Item1 > 0 ? resource.Item2 : null,
                    withScps && scps.Item1 == 0 ? [.. scps.Item2.Select(l => (IReadOnlyList<JsonObject>)[.. l, FullAccess()])] : null);
            });

    public static JsonObject FullAccess() => JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""")!.AsObject();

    public static JsonObject Single(string effect, string action = "*", string resource = "*") => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject { ["Effect"] = effect, ["Action"] = action, ["Resource"] = resource }),
    };

    private static JsonNode Strings(string[] values) =>
        values.Length == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)v)]);
}
