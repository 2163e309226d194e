using Cloudkeep.Protocol.Model;

namespace Cloudkeep.Protocol.Tests.Model;

public class ModelCatalogTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();

    [Theory]
    [InlineData("sts", ServiceProtocol.Query, "2011-06-15", null)]
    [InlineData("iam", ServiceProtocol.Query, "2010-05-08", null)]
    [InlineData("organizations", ServiceProtocol.Json, "2016-11-28", "AWSOrganizationsV20161128")]
    [InlineData("kms", ServiceProtocol.Json, "2014-11-01", "TrentService")]
    [InlineData("s3", ServiceProtocol.RestXml, "2006-03-01", null)]
    [InlineData("monitoring", ServiceProtocol.RpcV2Cbor, "2010-08-01", "GraniteServiceVersion20100801")]
    public void LoadEmbedded_EachServedModel_HasItsProtocolAndVersion(string signingName, ServiceProtocol protocol, string version, string? targetPrefix)
    {
        Assert.True(Catalog.TryGetBySigningName(signingName, out var model));
        Assert.Equal(protocol, model.Protocol);
        Assert.Equal(version, model.ApiVersion);
        Assert.Equal(targetPrefix, model.TargetPrefix);
        Assert.NotEmpty(model.Operations);
    }

    [Fact]
    public void LoadEmbedded_CloudWatch_AnswersThreeProtocolsAndIsQueryCompatible()
    {
        Assert.True(Catalog.TryGetBySigningName("monitoring", out var model));
        Assert.Equal([ServiceProtocol.RpcV2Cbor, ServiceProtocol.Json, ServiceProtocol.Query], model.Protocols);
        Assert.True(model.AwsQueryCompatible);
        Assert.Equal("InvalidParameterValueException", model.ErrorShapeByCode("InvalidParameterValue")!.Name);
        Assert.Equal("ResourceNotFound", model.ErrorShapeByCode("ResourceNotFound")!.Name);
        Assert.Null(model.ErrorShapeByCode("AccessDenied"));
    }

    [Fact]
    public void LoadEmbedded_EveryReference_IsResolved()
    {
        foreach (var model in Catalog.All)
        {
            foreach (var shape in model.Shapes.Values)
            {
                Assert.All(shape.Members, m => Assert.NotNull(m.Shape));
                if (shape.Type == ShapeType.List)
                {
                    Assert.NotNull(shape.ListMember!.Shape);
                }
            }
        }
    }

    [Fact]
    public void GetCallerIdentity_Output_HasResultWrapperAndMembers()
    {
        Catalog.TryGetBySigningName("sts", out var sts);
        var operation = sts.Operations["GetCallerIdentity"];
        Assert.Equal("GetCallerIdentityResult", operation.ResultWrapper);
        Assert.Equal(["UserId", "Account", "Arn"], operation.Output!.Members.Select(m => m.Name));
    }

    [Theory]
    [InlineData("/{Bucket}/{Key+}?uploads", 2, "uploads")]
    [InlineData("/{Bucket}?list-type=2", 1, "list-type")]
    [InlineData("/", 0, null)]
    public void UriTemplate_Parse_SplitsSegmentsAndRequiredQuery(string uri, int segments, string? firstQuery)
    {
        var template = UriTemplate.Parse(uri);
        Assert.Equal(segments, template.Segments.Count);
        Assert.Equal(firstQuery, template.RequiredQuery.Count > 0 ? template.RequiredQuery[0].Key : null);
    }

    [Theory]
    [InlineData("/{Bucket}/{Key+}", "/b/a/b/c", true, "a/b/c")]
    [InlineData("/{Bucket}/{Key+}", "/b//lead", true, "/lead")]
    [InlineData("/{Bucket}/{Key+}", "/b", false, null)]
    [InlineData("/{Bucket}", "/b/", true, null)]
    [InlineData("/{Bucket}", "/b/c", false, null)]
    public void UriTemplate_TryMatch_BindsGreedyLabels(string uri, string path, bool matches, string? key)
    {
        Assert.Equal(matches, UriTemplate.Parse(uri).TryMatch(path, out var labels));
        if (key is not null)
        {
            Assert.Equal(key, labels["Key"]);
        }
    }
}
