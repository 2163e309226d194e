using Cloudkeep.LoadGenerator.S3;

namespace Cloudkeep.LoadGenerator.Tests;

public sealed class ListPageTests
{
    [Fact]
    public void Parse_TruncatedPage_CountsKeysAndKeepsToken()
    {
        const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><Prefix>list/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
              <NextContinuationToken>tok+en=</NextContinuationToken>
              <Contents><Key>list/1</Key><Size>16</Size></Contents>
              <Contents><Key>list/2</Key><Size>16</Size></Contents>
            </ListBucketResult>
            """;

        var page = ListPage.Parse(Xml);

        Assert.Equal(new ListPage(2, true, "tok+en=", "list/2"), page);
    }

    [Fact]
    public void Parse_LastPageWithoutNamespace_IsNotTruncated()
    {
        var page = ListPage.Parse("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>k</Key></Contents></ListBucketResult>");

        Assert.Equal(new ListPage(1, false, null, "k"), page);
    }

    [Fact]
    public void Parse_EmptyListing_HasNoKeys() =>
        Assert.Equal(new ListPage(0, false, null, null), ListPage.Parse("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>"));

    [Fact]
    public void Parse_TruncatedWithoutToken_Throws() =>
        Assert.Throws<InvalidOperationException>(() => ListPage.Parse("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"));
}
