using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Server.Tests.Hostile;
using Cloudkeep.Testing;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace Cloudkeep.Server.Tests.Coverage;

/// <summary>
/// Coverage by meta-test (STYLE.md habit 4, after Garnet's ACL test): every operation in the
/// registry declares an IAM action that the one policy engine decides, shown through the real
/// server with a plausible request from its botocore input shape, sent by a user
/// (1) with no policy: AccessDenied naming the operation's action;
/// (2) with a policy allowing just the actions it names: no longer denied;
/// (3) with everything allowed but its action denied: AccessDenied again;
/// and it has a row in the README's feature table. The test fails listing every operation that
/// misses one of these.
/// </summary>
public sealed partial class OperationCoverageTests : IAsyncLifetime
{
    /// <summary>Operations AWS answers for any authenticated caller ("No permissions are required").</summary>
    private static readonly HashSet<string> NoPermissionRequired = new(StringComparer.Ordinal)
    {
        "sts:GetCallerIdentity",

        // "Permissions for GetSessionToken" (IAM User Guide): an IAM user needs no permission to call it.
        "sts:GetSessionToken",
    };

    /// <summary>HEAD answers carry no body to name the action: these are the ones AWS documents for them.</summary>
    private static readonly Dictionary<string, string> HeadActions = new(StringComparer.Ordinal)
    {
        ["HeadBucket"] = "s3:ListBucket",
        ["HeadObject"] = "s3:GetObject",
    };

    private FuzzEstate _estate = null!;
    private (string Id, string Secret) _probe;

    public async Task InitializeAsync()
    {
        _estate = await FuzzEstate.StartAsync();
        await _estate.RootIamAsync("CreateUser", ignoreFailure: false, ("UserName", "probe"));
        var created = await _estate.RootIamAsync("CreateAccessKey", ignoreFailure: false, ("UserName", "probe"));
        _probe = (Element(created, "AccessKeyId"), Element(created, "SecretAccessKey"));
    }

    public async Task DisposeAsync() => await _estate.DisposeAsync();

    [Fact]
    public async Task EveryOperation_DeclaresItsActionAndIsAllowedAndDeniedByPolicy_AndHasAReadmeRow()
    {
        var provider = _estate.Server.Server.Services;
        var catalog = provider.GetRequiredService<ModelCatalog>();
        var readme = ReadmeOperations(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md")));
        var values = new HostileValues(ModelDrivenHostileInputTests.Plausible, _estate.Fixtures);
        var missing = new List<string>();
        var checkedCount = 0;
        foreach (var handler in provider.GetRequiredService<OperationRegistry>().All.OrderBy(h => h.Service, StringComparer.Ordinal).ThenBy(h => h.Operation, StringComparer.Ordinal))
        {
            var model = catalog.All.Single(m => m.SigningName == handler.Service);
            var operation = model.Operations[handler.Operation];
            var name = $"{handler.Service}:{handler.Operation}";
            if (!readme.Contains(Singular(handler.Operation)))
            {
                missing.Add($"{name}: no README row names it");
            }

            var problem = await CheckAsync(model, operation, values);
            if (problem is not null)
            {
                missing.Add($"{name}: {problem}");
            }

            // An operation allowed to run may have changed a fixture (deleted the alias, replaced the trust policy).
            await _estate.RestoreAsync();

            checkedCount++;
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {checkedCount} operations miss coverage:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// The operations the README's feature table names (its "works" column), with its shorthand
    /// expanded: "Create/Get/List/DeleteUser" is four operations, "Attach/Detach/ListAttached{User,Group,Role}Policies"
    /// nine; plurals are compared in the singular ("ListUsers" is "ListUser").
    /// </summary>
    private static HashSet<string> ReadmeOperations(string readme)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in readme.Split('\n').Where(l => FeatureRow().IsMatch(l)))
        {
            var works = line.Split('|')[3];
            foreach (var item in SplitOutsideBraces(works))
            {
                var token = TokenStart().Match(item.Trim());
                if (!token.Success)
                {
                    continue;
                }

                foreach (var expanded in Expand(token.Value))
                {
                    names.Add(Singular(expanded));
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> SplitOutsideBraces(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0 && text[i] is ',' or ';')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    /// <summary>"Put/Delete{User,Role}PermissionsBoundary" → PutUserPermissionsBoundary, PutRolePermissionsBoundary, ...</summary>
    private static IEnumerable<string> Expand(string token)
    {
        token = token.Replace("(ies)", "ies", StringComparison.Ordinal).Replace("(s)", "s", StringComparison.Ordinal);
        var brace = token.IndexOf('{', StringComparison.Ordinal);
        List<string> verbs;
        List<string> rests;
        if (brace >= 0)
        {
            var close = token.IndexOf('}', brace);
            verbs = [.. token[..brace].Split('/')];
            var suffix = token[(close + 1)..];
            rests = [.. token[(brace + 1)..close].Split(',').Select(o => o.Trim() + suffix)];
        }
        else
        {
            var parts = token.Split('/');
            var last = VerbAndNoun().Match(parts[^1]);
            if (!last.Success)
            {
                return [token];
            }

            verbs = [.. parts[..^1], last.Groups[1].Value];
            rests = [last.Groups[2].Value];
            if (parts.Length > 1 && rests[0].EndsWith("Tags", StringComparison.Ordinal))
            {
                // "Tag/Untag/ListUserTags": TagUser, UntagUser, ListUserTags.
                rests.Add(rests[0][..^4]);
            }
        }

        return verbs.SelectMany(v => rests.Select(r => v + r));
    }

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y"
        : name.EndsWith("ases", StringComparison.Ordinal) ? name[..^2]
        : name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) && !name.EndsWith("as", StringComparison.Ordinal) ? name[..^1]
        : name;

    [GeneratedRegex(@"^\| (STS|IAM|Organizations|KMS|S3|Route53|CloudTrail|SNS|CloudWatch Logs|CloudWatch|Cost Explorer) \|")]
    private static partial Regex FeatureRow();

    [GeneratedRegex(@"^[A-Za-z0-9/{}(), ]+?(?=\s|\(|$)")]
    private static partial Regex TokenStart();

    [GeneratedRegex("^([A-Z][a-z]+)([A-Z].*)$")]
    private static partial Regex VerbAndNoun();

    private async Task<string?> CheckAsync(ServiceModel model, OperationModel operation, HostileValues values)
    {
        var gen = operation.Input is { } input ? values.PlausibleInput(input) : Gen.Const<HostileValue>(new HostileStructure([]));
        string? action = null;
        RawRequest? request = null;
        string lastAnswer = "";
        for (ulong seed = 1; seed <= 40 && action is null; seed++)
        {
            var candidate = HostileRequests.Build(model, operation, (HostileStructure)gen.Generate(new PCG(7, seed), null, out _));
            await SetProbePolicyAsync(null);
            var (status, code, message) = await SendAsync(model, candidate);
            lastAnswer = $"{status} {code} {message}";
            if (status == 403 && code.Length == 0 && HeadActions.TryGetValue(operation.Name, out var headAction))
            {
                action = headAction;
                request = candidate;
            }
            else if (code is "AccessDenied" or "AccessDeniedException" or "AuthorizationError" && ActionIn(message) is { } named)
            {
                action = named;
                request = candidate;
            }
            else if (status < 300 && NoPermissionRequired.Contains($"{model.SigningName}:{operation.Name}"))
            {
                return null;
            }
        }

        if (action is null || request is null)
        {
            return $"no plausible request was refused for want of a policy naming its action (last answer: {Shorten(lastAnswer)})";
        }

        // IAM names a service by its own prefix, which is not always the signing name (CloudWatch signs as monitoring).
        var prefix = model.SigningName switch { "monitoring" => "cloudwatch", var name => name };
        if (!action.StartsWith(prefix + ":", StringComparison.Ordinal))
        {
            return $"denied for {action}, not an action of its service";
        }

        // Allowed: the actions it is denied for, one by one (CopyObject needs s3:GetObject as well as s3:PutObject).
        var allowed = new List<string> { action };
        for (var round = 0; round < 4; round++)
        {
            await SetProbePolicyAsync(Policy(allowed, deny: null));
            var (status, code, message) = await SendAsync(model, request);
            if (code is not ("AccessDenied" or "AccessDeniedException" or "AuthorizationError") && !(status == 403 && code.Length == 0))
            {
                break;
            }

            if (ActionIn(message) is not { } further || allowed.Contains(further))
            {
                return $"still denied with {string.Join(", ", allowed)} allowed: {Shorten($"{status} {message}")}";
            }

            allowed.Add(further);
        }

        // Denied: everything allowed but its own action, on fixtures as they were.
        await _estate.RestoreAsync();
        await SetProbePolicyAsync(Policy(["*"], deny: action));
        var denied = await SendAsync(model, request);
        await SetProbePolicyAsync(null);
        return denied.Code is "AccessDenied" or "AccessDeniedException" or "AuthorizationError" || (denied.Status == 403 && HeadActions.ContainsKey(operation.Name))
            ? null
            : $"an explicit deny of {action} did not refuse it: {Shorten($"{denied.Status} {denied.Code} {denied.Message}")}";
    }

    private static string? ActionIn(string message) =>
        DeniedAction().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"<Error><Key>[^<]*</Key>(<VersionId>)?(?:[^<]*</VersionId>)?<Code>AccessDenied</Code>")]
    private static partial Regex DeniedEntry();

    [GeneratedRegex(@"(?:perform|allows the|denies the)[: ]+([a-z0-9-]+:[A-Za-z0-9]+)")]
    private static partial Regex DeniedAction();

    private static string Policy(IEnumerable<string> allow, string? deny)
    {
        var statements = new List<object> { new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = allow.ToArray(), ["Resource"] = "*" } };
        if (deny is not null)
        {
            statements.Add(new Dictionary<string, object> { ["Effect"] = "Deny", ["Action"] = deny, ["Resource"] = "*" });
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements });
    }

    private async Task SetProbePolicyAsync(string? document)
    {
        if (document is null)
        {
            await _estate.RootIamAsync("DeleteUserPolicy", ignoreFailure: true, ("UserName", "probe"), ("PolicyName", "coverage"));
            return;
        }

        await _estate.RootIamAsync("PutUserPolicy", ignoreFailure: false, ("UserName", "probe"), ("PolicyName", "coverage"), ("PolicyDocument", document));
    }

    private async Task<(int Status, string Code, string Message)> SendAsync(ServiceModel model, RawRequest request)
    {
        var region = model.SigningName is "iam" or "organizations" or "route53" ? "us-east-1" : "eu-west-1";
        using var message = request.ToSignedMessage(new Uri(_estate.Server.Endpoint), model.SigningName, region, _probe.Id, _probe.Secret, DateTimeOffset.UtcNow);
        using var response = await _estate.Http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = (int)response.StatusCode;
        if (status < 300)
        {
            // DeleteObjects answers each key denied inside its 200 (AnswersDeniedResources): an entry
            // naming a version was denied s3:DeleteObjectVersion, any other s3:DeleteObject.
            var text = Encoding.UTF8.GetString(body);
            if (Environment.GetEnvironmentVariable("HOSTILE_DEBUG") is not null)
            {
                Console.Error.WriteLine($"DEBUG {request.Method} {request.EncodedPath}?{request.EncodedQuery}\n{Encoding.UTF8.GetString(request.Body)}\n=> {text}");
            }

            var denied = DeniedEntry().Match(text);
            return denied.Success
                ? (status, "AccessDenied", denied.Groups[1].Success ? "perform: s3:DeleteObjectVersion" : "perform: s3:DeleteObject")
                : (status, "", "");
        }

        var code = ModelDrivenHostileInputTests.ErrorCode(model.Protocol, body) ?? "";
        return (status, code, ErrorMessage(model.Protocol, body));
    }

    private static string ErrorMessage(ServiceProtocol protocol, byte[] body)
    {
        try
        {
            if (protocol == ServiceProtocol.Json)
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.TryGetProperty("message", out var m) || json.RootElement.TryGetProperty("Message", out m) ? m.GetString() ?? "" : "";
            }

            if (protocol == ServiceProtocol.RpcV2Cbor)
            {
                return ModelDrivenHostileInputTests.CborError(body, "message") ?? "";
            }

            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { CheckCharacters = false, DtdProcessing = DtdProcessing.Prohibit });
            return System.Xml.Linq.XDocument.Load(reader).Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
        }
        catch (Exception e) when (e is JsonException or XmlException)
        {
            return "";
        }
    }

    private static string Element(string xml, string name) =>
        System.Xml.Linq.XDocument.Parse(xml).Descendants().First(e => e.Name.LocalName == name).Value;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cloudkeep.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cloudkeep.slnx not found above the test output.");
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
