using System.Security.Cryptography;
using Amazon.S3.Model;
using Cloudkeep.Server.Tests.S3;

namespace Cloudkeep.Server.Tests;

/// <summary>Two (or eight) writers at once on the same S3 object or IAM user: one outcome, whole, and never a 500.</summary>
public sealed class ConcurrencyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Writers = 8;

    [Theory]
    [InlineData(1)]
    [InlineData(1024 * 1024)]
    public async Task PutObject_EightWritersOnOneKey_LeavesOneBodyWholeAndItsETag(int size)
    {
        using var s3 = S3Clients.Root(fixture.Server);
        var bucket = S3Clients.UniqueBucket("race");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var bodies = Enumerable.Range(0, Writers).Select(i => Enumerable.Repeat((byte)('a' + i), size).ToArray()).ToList();
        using var start = new Barrier(Writers);
        await Task.WhenAll(bodies.Select(body => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "contested.bin", InputStream = new MemoryStream(body) });
        })));

        using var stored = await s3.GetObjectAsync(bucket, "contested.bin");
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        var bytes = copy.ToArray();
        Assert.Contains(bodies, b => b.AsSpan().SequenceEqual(bytes));
        var head = await s3.GetObjectMetadataAsync(bucket, "contested.bin");
        var md5 = $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"";
        Assert.Equal(md5, head.ETag);
        Assert.Equal(md5, stored.ETag);
        Assert.Equal(size, head.ContentLength);
    }

    [Fact]
    public async Task CreateUser_EightCallersAtOnce_ExactlyOneSucceedsAndTheRestGetEntityAlreadyExists()
    {
        var result = await Boto3.RunAsync(fixture.Server, $$"""
            import threading
            from concurrent.futures import ThreadPoolExecutor
            from botocore.exceptions import ClientError
            iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='eu-west-1')
            start = threading.Barrier({{Writers}})
            def create(i):
                start.wait()
                try:
                    iam.create_user(UserName='contested', Tags=[{'Key': 'writer', 'Value': str(i)}])
                    return {'outcome': 'created', 'status': 200}
                except ClientError as e:
                    return {'outcome': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
            with ThreadPoolExecutor({{Writers}}) as pool:
                outcomes = list(pool.map(create, range({{Writers}})))
            users = [u['UserName'] for u in iam.list_users()['Users'] if u['UserName'].lower() == 'contested']
            print(json.dumps({'outcomes': outcomes, 'users': users}))
            """);
        var outcomes = result.GetProperty("outcomes").EnumerateArray().Select(o => (Outcome: o.GetProperty("outcome").GetString()!, Status: o.GetProperty("status").GetInt32())).ToList();
        Assert.Single(outcomes, o => o.Outcome == "created");
        Assert.Equal(Enumerable.Repeat(("EntityAlreadyExists", 409), Writers - 1), outcomes.Where(o => o.Outcome != "created"));
        Assert.Equal(["contested"], result.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task TagUser_EightWritersAtOnce_KeepsEveryWritersOwnTagAndOneValueOfTheSharedTag()
    {
        await Cli.Root(fixture.Server).RunAsync("iam", "create-user", "--user-name", "tagged-by-many");
        var result = await Boto3.RunAsync(fixture.Server, $$"""
            import threading
            from concurrent.futures import ThreadPoolExecutor
            from botocore.exceptions import ClientError
            iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='eu-west-1')
            start = threading.Barrier({{Writers}})
            def tag(i):
                start.wait()
                try:
                    for round in range(5):
                        iam.tag_user(UserName='tagged-by-many', Tags=[{'Key': f'writer-{i}', 'Value': str(round)}, {'Key': 'shared', 'Value': f'{i}-{round}'}])
                    return 'ok'
                except ClientError as e:
                    return f"{e.response['ResponseMetadata']['HTTPStatusCode']} {e.response['Error']['Code']}"
            with ThreadPoolExecutor({{Writers}}) as pool:
                outcomes = list(pool.map(tag, range({{Writers}})))
            tags = {t['Key']: t['Value'] for t in iam.list_user_tags(UserName='tagged-by-many')['Tags']}
            print(json.dumps({'outcomes': outcomes, 'tags': tags}))
            """);
        Assert.Equal(Enumerable.Repeat("ok", Writers), result.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        var tags = result.GetProperty("tags").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString()!);

        // Each writer's last write of its own key survives; the shared key holds some writer's last value.
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"writer-{i}").Append("shared").Order(StringComparer.Ordinal), tags.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(0, Writers), i => Assert.Equal("4", tags[$"writer-{i}"]));
        Assert.Contains(tags["shared"], Enumerable.Range(0, Writers).Select(i => $"{i}-4"));
    }
}
