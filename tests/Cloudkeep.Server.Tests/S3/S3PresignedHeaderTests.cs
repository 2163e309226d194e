using Amazon.S3.Model;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// A presigner may hoist x-amz-* headers (metadata, ACL, server-side encryption) into the URL's signed query
/// string, as the JavaScript SDK's does, and S3 reads each as the header it stands for: stored, answered and
/// seen by policy. The SigV4 URLs are made with botocore's SigV4 query signer over such a query; the SigV2
/// ones by boto3's own SigV2 presigner, which moves the headers it signs into the query.
/// </summary>
public sealed class S3PresignedHeaderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Script = """
        import urllib.parse, urllib.request, urllib.error
        from botocore.auth import S3SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        session = boto3.session.Session()
        s3 = session.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
        def presign(key, headers):
            # As the JavaScript SDK's presigner does: the x-amz-* headers hoisted into the signed query.
            url = ENDPOINT + '/' + BUCKET + '/' + key + ('?' + urllib.parse.urlencode(headers) if headers else '')
            request = AWSRequest(method='PUT', url=url)
            S3SigV4QueryAuth(session.get_credentials().get_frozen_credentials(), 's3', 'eu-west-1', expires=300).add_auth(request)
            return request.prepare().url
        def put(url):
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=b'state', method='PUT')) as response:
                    return {'status': response.status, 'sse': response.headers.get('x-amz-server-side-encryption'), 'query': url.split('?', 1)[1]}
            except urllib.error.HTTPError as e:
                return {'status': e.code, 'body': e.read().decode()}
        results = {
            'plain': put(presign('plain.tfstate', {})),
            'encrypted': put(presign('encrypted.tfstate', {'x-amz-server-side-encryption': 'AES256', 'x-amz-meta-owner': 'infra'})),
            'tampered': put(presign('tampered.tfstate', {'x-amz-server-side-encryption': 'AES256'}) + '&x-amz-meta-extra=1'),
        }
        head = s3.head_object(Bucket=BUCKET, Key='encrypted.tfstate')
        results['metadata'] = head['Metadata']
        results['headSse'] = head.get('ServerSideEncryption')
        print(json.dumps(results))
        """;

    /// <summary>boto3's SigV2 presigner signs the headers it is given and carries them in the query string.</summary>
    private const string SigV2Script = """
        import urllib.request, urllib.error
        from botocore.config import Config
        s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1', config=Config(signature_version='s3'))
        def put(key, **params):
            url = s3.generate_presigned_url('put_object', Params=dict(Bucket=BUCKET, Key=key, ContentType='text/plain', **params), ExpiresIn=300)
            try:
                request = urllib.request.Request(url, data=b'state', method='PUT', headers={'Content-Type': 'text/plain'})
                with urllib.request.urlopen(request) as response:
                    return {'status': response.status, 'sse': response.headers.get('x-amz-server-side-encryption'), 'query': url.split('?', 1)[1]}
            except urllib.error.HTTPError as e:
                return {'status': e.code, 'body': e.read().decode()}
        results = {
            'plain': put('plain.tfstate'),
            'encrypted': put('encrypted.tfstate', ServerSideEncryption='AES256', Metadata={'owner': 'infra'}),
        }
        url = s3.generate_presigned_url('put_object', Params=dict(Bucket=BUCKET, Key='tampered.tfstate', ContentType='text/plain', ServerSideEncryption='AES256'), ExpiresIn=300)
        try:
            urllib.request.urlopen(urllib.request.Request(url.replace('x-amz-server-side-encryption=AES256', 'x-amz-server-side-encryption=aws%3Akms'), data=b'x', method='PUT', headers={'Content-Type': 'text/plain'}))
            results['tampered'] = {'status': 200}
        except urllib.error.HTTPError as e:
            results['tampered'] = {'status': e.code}
        head = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1').head_object(Bucket=BUCKET, Key='encrypted.tfstate')
        results['metadata'] = head['Metadata']
        results['headSse'] = head.get('ServerSideEncryption')
        print(json.dumps(results))
        """;

    [Theory]
    [InlineData("SigV4")]
    [InlineData("SigV2")]
    public async Task PresignedPut_HeadersInTheQuery_AreStoredAndSeenByTheBucketPolicy(string signer)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("presignhdr");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await s3.PutBucketPolicyAsync(
            bucket,
            """{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnencryptedState","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::"""
            + bucket + """/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}]}""");

        var result = await Boto3.RunAsync(fixture.Server, "BUCKET = '" + bucket + "'\n" + (signer == "SigV2" ? SigV2Script : Script));

        // Without the header in its query, the policy refuses the pre-signed PUT; with it, the PUT is
        // allowed, answered as encrypted, and its metadata is stored.
        Assert.Equal(403, result.GetProperty("plain").GetProperty("status").GetInt32());
        Assert.Contains("AccessDenied", result.GetProperty("plain").GetProperty("body").GetString(), StringComparison.Ordinal);
        var encrypted = result.GetProperty("encrypted");
        Assert.Equal(200, encrypted.GetProperty("status").GetInt32());
        Assert.Contains("x-amz-server-side-encryption=AES256", encrypted.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal("AES256", encrypted.GetProperty("sse").GetString());
        Assert.Equal("infra", result.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal("AES256", result.GetProperty("headSse").GetString());

        // A parameter added to a signed URL breaks its signature: nobody can slip a header in.
        Assert.Equal(403, result.GetProperty("tampered").GetProperty("status").GetInt32());
        var keys = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["encrypted.tfstate"], (keys.S3Objects ?? []).Select(o => o.Key));
    }
}
