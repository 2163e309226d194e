using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;

namespace Cloudkeep.Protocol.Tests.Serialization;

public class QueryProtocolTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();
    private static ServiceModel Sts => Catalog.All.Single(m => m.SigningName == "sts");
    private static ServiceModel Iam => Catalog.All.Single(m => m.SigningName == "iam");

    [Fact]
    public void Decode_AssumeRoleParameters_BuildsTheInputTree()
    {
        var input = QueryDecoder.Decode(Sts.Operations["AssumeRole"].Input, new Dictionary<string, string>
        {
            ["Action"] = "AssumeRole",
            ["RoleArn"] = "arn:aws:iam::123456789012:role/demo",
            ["RoleSessionName"] = "s",
            ["DurationSeconds"] = "900",
            ["PolicyArns.member.1.arn"] = "arn:aws:iam::aws:policy/ReadOnlyAccess",
            ["PolicyArns.member.2.arn"] = "arn:aws:iam::aws:policy/Billing",
            ["Tags.member.1.Key"] = "team",
            ["Tags.member.1.Value"] = "dm",
            ["TransitiveTagKeys"] = "",
        });
        Assert.Equal("arn:aws:iam::123456789012:role/demo", input["RoleArn"]!.GetValue<string>());
        Assert.Equal(900, input["DurationSeconds"]!.GetValue<long>());
        Assert.Equal(2, input["PolicyArns"]!.AsArray().Count);
        Assert.Equal("arn:aws:iam::aws:policy/Billing", input["PolicyArns"]![1]!["arn"]!.GetValue<string>());
        Assert.Equal("dm", input["Tags"]![0]!["Value"]!.GetValue<string>());
        Assert.Empty(input["TransitiveTagKeys"]!.AsArray());
    }

    [Fact]
    public void Decode_NonNumericInteger_ThrowsValidationError()
    {
        var error = Assert.Throws<AwsException>(() => QueryDecoder.Decode(Sts.Operations["AssumeRole"].Input, new Dictionary<string, string> { ["DurationSeconds"] = "soon" }));
        Assert.Equal("ValidationError", error.Code);
    }

    [Fact]
    public void Validate_MissingRequiredAndTooShort_ReportsEveryProblem()
    {
        var input = QueryDecoder.Decode(Sts.Operations["AssumeRole"].Input, new Dictionary<string, string> { ["RoleSessionName"] = "x", ["DurationSeconds"] = "10" });
        var problems = InputValidator.Validate(Sts.Operations["AssumeRole"].Input!, input);
        Assert.Contains(problems, p => p.Kind == InputProblemKind.Required && p.Message.Contains("Value null at 'roleArn'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == InputProblemKind.MinLength && p.Message.Contains("at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == InputProblemKind.MinValue && p.Message.Contains("at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", StringComparison.Ordinal));
        Assert.StartsWith("3 validation errors detected: ", InputValidator.FormatMessage(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IamUserNameWithIllegalCharacter_ReportsPattern()
    {
        var input = QueryDecoder.Decode(Iam.Operations["CreateUser"].Input, new Dictionary<string, string> { ["UserName"] = "bad name!" });
        var problems = InputValidator.Validate(Iam.Operations["CreateUser"].Input!, input);
        Assert.Contains(problems, p => p.Kind == InputProblemKind.Pattern && p.Message.Contains("regular expression pattern", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteResult_GetCallerIdentity_MatchesAwsDocumentShape()
    {
        var xml = QueryResponseWriter.WriteResult(Sts, Sts.Operations["GetCallerIdentity"], new JsonObject
        {
            ["UserId"] = "123456789012",
            ["Account"] = "123456789012",
            ["Arn"] = "arn:aws:iam::123456789012:root",
        }, "req-1");
        var document = XDocument.Parse(Encoding.UTF8.GetString(xml));
        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal(ns + "GetCallerIdentityResponse", document.Root!.Name);
        Assert.Equal("arn:aws:iam::123456789012:root", document.Root.Element(ns + "GetCallerIdentityResult")!.Element(ns + "Arn")!.Value);
        Assert.Equal("req-1", document.Root.Element(ns + "ResponseMetadata")!.Element(ns + "RequestId")!.Value);
    }

    [Fact]
    public void WriteResult_ListsAndTimestamps_UseMemberElementsAndIso8601()
    {
        var xml = QueryResponseWriter.WriteResult(Iam, Iam.Operations["ListUsers"], new JsonObject
        {
            ["Users"] = new JsonArray(new JsonObject
            {
                ["Path"] = "/",
                ["UserName"] = "alice",
                ["UserId"] = "AIDAEXAMPLE",
                ["Arn"] = "arn:aws:iam::123456789012:user/alice",
                ["CreateDate"] = JsonValue.Create(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)),
            }),
            ["IsTruncated"] = false,
        }, "r");
        var text = Encoding.UTF8.GetString(xml);
        Assert.Contains("<Users><member><Path>/</Path><UserName>alice</UserName>", text, StringComparison.Ordinal);
        Assert.Contains("<CreateDate>2026-11-22T10:00:00.000Z</CreateDate>", text, StringComparison.Ordinal);
        Assert.Contains("<IsTruncated>false</IsTruncated>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteError_SenderFault_HasTypeCodeMessageAndRequestId()
    {
        var xml = QueryResponseWriter.WriteError(Sts.XmlNamespace, CommonErrors.InvalidClientTokenId.ToException(), "rid");
        var document = XDocument.Parse(Encoding.UTF8.GetString(xml));
        XNamespace ns = Sts.XmlNamespace!;
        var error = document.Root!.Element(ns + "Error")!;
        Assert.Equal("Sender", error.Element(ns + "Type")!.Value);
        Assert.Equal("InvalidClientTokenId", error.Element(ns + "Code")!.Value);
        Assert.Equal("rid", document.Root.Element(ns + "RequestId")!.Value);
    }
}
