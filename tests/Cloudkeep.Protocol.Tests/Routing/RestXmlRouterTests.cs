using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Routing;

namespace Cloudkeep.Protocol.Tests.Routing;

public class RestXmlRouterTests
{
    private static readonly RestXmlRouter Router = new(ModelCatalog.LoadEmbedded().All.Single(m => m.SigningName == "s3"));

    [Theory]
    [InlineData("GET", "/", "", "ListBuckets")]
    [InlineData("GET", "/bucket", "", "ListObjects")]
    [InlineData("GET", "/bucket", "list-type=2", "ListObjectsV2")]
    [InlineData("GET", "/bucket", "policy", "GetBucketPolicy")]
    [InlineData("GET", "/bucket", "location", "GetBucketLocation")]
    [InlineData("PUT", "/bucket", "", "CreateBucket")]
    [InlineData("HEAD", "/bucket", "", "HeadBucket")]
    [InlineData("GET", "/bucket/a/b.txt", "", "GetObject")]
    [InlineData("GET", "/bucket/a/b.txt", "acl", "GetObjectAcl")]
    [InlineData("GET", "/bucket/a/b.txt", "tagging", "GetObjectTagging")]
    [InlineData("PUT", "/bucket/a/b.txt", "", "PutObject")]
    [InlineData("POST", "/bucket/a/b.txt", "uploads", "CreateMultipartUpload")]
    [InlineData("PUT", "/bucket/a/b.txt", "partNumber=1&uploadId=x", "UploadPart")]
    [InlineData("POST", "/bucket", "delete", "DeleteObjects")]
    [InlineData("DELETE", "/bucket/k", "", "DeleteObject")]
    [InlineData("DELETE", "/bucket/k", "uploadId=u", "AbortMultipartUpload")]
    [InlineData("GET", "/bucket/k", "uploadId=u", "ListParts")]
    [InlineData("PUT", "/bucket/k", "x-amz-copy-source", "CopyObject")]
    [InlineData("PUT", "/bucket/k", "partNumber=1&uploadId=u&x-amz-copy-source", "UploadPartCopy")]
    [InlineData("GET", "/bucket", "lifecycle", "GetBucketLifecycleConfiguration")]
    [InlineData("GET", "/bucket/k", "attributes&x-amz-object-attributes", "GetObjectAttributes")]
    [InlineData("GET", "/bucket/k", "attributes", "GetObjectAttributes")] // its required header missing: still not GetObject
    [InlineData("PUT", "/bucket/k", "renameObject", "RenameObject")]
    public void TryRoute_S3Requests_FindTheModelOperation(string method, string path, string query, string expected)
    {
        // A query item named like a header stands for that header in this table.
        var headers = query.Split('&').Where(p => p.StartsWith("x-amz-", StringComparison.Ordinal)).ToHashSet();
        query = string.Join('&', query.Split('&').Where(p => !p.StartsWith("x-amz-", StringComparison.Ordinal)));
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        Assert.True(Router.TryRoute(method, path, parameters, headers.Contains, out var operation, out _));
        Assert.Equal(expected, operation.Name);
    }

    [Fact]
    public void TryRoute_UnknownMethod_ReturnsFalse()
    {
        Assert.False(Router.TryRoute("PATCH", "/bucket", new Dictionary<string, string>(), out _, out _));
        Assert.False(Router.HasMethod("PATCH"));
    }
}
