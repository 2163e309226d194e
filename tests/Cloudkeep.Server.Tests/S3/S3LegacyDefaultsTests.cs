using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// `serve --s3-legacy-bucket-defaults`: new buckets as S3 made them before April 2023, for tools and
/// test suites written then (ACLs enabled for the object writer, no public access block), through
/// boto3; without the setting, AWS's current defaults.
/// </summary>
public sealed class S3LegacyDefaultsTests
{
    private const string Script = """
        s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
        s3.create_bucket(Bucket='legacy', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
        ownership = s3.get_bucket_ownership_controls(Bucket='legacy')['OwnershipControls']['Rules'][0]['ObjectOwnership']
        try:
            s3.get_public_access_block(Bucket='legacy')
            block = 'present'
        except s3.exceptions.ClientError as e:
            block = e.response['Error']['Code']
        try:
            s3.put_object(Bucket='legacy', Key='public.txt', Body=b'hello', ACL='public-read')
            import urllib.request
            anonymous = urllib.request.urlopen(ENDPOINT + '/legacy/public.txt').read().decode()
        except Exception as e:
            anonymous = type(e).__name__ + ' ' + str(getattr(e, 'response', {}).get('Error', {}).get('Code', ''))
        print(json.dumps({'ownership': ownership, 'block': block, 'anonymous': anonymous}))
        """;

    [Fact]
    public async Task LegacyDefaults_NewBucket_HasAclsEnabledNoPublicAccessBlock_AndServesPublicReadObjects()
    {
        await using var server = await TestServer.StartAsync(s3LegacyBucketDefaults: true);
        var result = await Boto3.RunAsync(server, Script);
        Assert.Equal("ObjectWriter", result.GetProperty("ownership").GetString());
        Assert.Equal("NoSuchPublicAccessBlockConfiguration", result.GetProperty("block").GetString());
        Assert.Equal("hello", result.GetProperty("anonymous").GetString());
    }

    [Fact]
    public async Task CurrentDefaults_NewBucket_HasAclsDisabledAndEveryPublicAccessBlockOn()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Boto3.RunAsync(server, Script);
        Assert.Equal("BucketOwnerEnforced", result.GetProperty("ownership").GetString());
        Assert.Equal("present", result.GetProperty("block").GetString());
        Assert.StartsWith("ClientError", result.GetProperty("anonymous").GetString(), StringComparison.Ordinal);
    }
}
