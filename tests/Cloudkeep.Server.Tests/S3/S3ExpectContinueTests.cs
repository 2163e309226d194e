using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// A PUT sent with `Expect: 100-continue` that the server refuses before reading its body (boto3
/// sends the header on every PutObject): the next request the client makes on the same connection
/// must be answered normally, not read as the unsent body's leftovers.
/// </summary>
public sealed class S3ExpectContinueTests
{
    [Fact]
    public async Task RefusedPutWithExpectContinue_ThenAnotherRequest_IsAnsweredNormally()
    {
        await using var server = await TestServer.StartAsync();
        var result = await Boto3.RunAsync(server, """
            s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-west-1')
            s3.create_bucket(Bucket='present', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
            answers = []
            for _ in range(3):
                try:
                    s3.put_object(Bucket='no-such-bucket-here', Key='k', Body=b'x' * 70000)
                    answers.append('stored')
                except s3.exceptions.ClientError as e:
                    answers.append(e.response['Error']['Code'])
                answers.append(s3.put_object(Bucket='present', Key='k', Body=b'y' * 70000)['ResponseMetadata']['HTTPStatusCode'])
                answers.append(len(s3.list_buckets()['Buckets']))
            print(json.dumps(answers))
            """);
        Assert.Equal("""["NoSuchBucket",200,1,"NoSuchBucket",200,1,"NoSuchBucket",200,1]""", result.GetRawText().Replace(" ", "", StringComparison.Ordinal));
    }
}
