using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using Cloudkeep.Client;
using Cloudkeep.Server.Tests.S3;
using Cloudkeep.Testing;
using Xunit.Abstractions;

namespace Cloudkeep.Server.Tests.Nodes;

/// <summary>
/// The staleness bound measured, test-like: how long after node A answers a change node B still acts on the
/// old state, over many rounds. Only correctness is asserted (each round within 5 s); the numbers printed are
/// what docs/performance.md records ("Nodes agree").
/// </summary>
public sealed class StalenessBoundTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private const int Rounds = 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DeletedKeyAndExplicitDeny_SeenOnOtherNode_WithinTheBound_EveryRound()
    {
        using var http = new HttpClient();
        var iam = new IamClient(http, new Uri(nodes.A.Endpoint), new BasicAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey), TimeProvider.System);
        await iam.CallAsync("CreateUser", [new("UserName", "measured")], CancellationToken.None);
        await iam.CallAsync("PutUserPolicy", [new("UserName", "measured"), new("PolicyName", "allow"), new("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""")], CancellationToken.None);

        var keyDeletes = new List<double>();
        var denies = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var created = await iam.CallAsync("CreateAccessKey", [new("UserName", "measured")], CancellationToken.None);
            var keyId = created.Descendants().First(e => e.Name.LocalName == "AccessKeyId").Value;
            var secret = created.Descendants().First(e => e.Name.LocalName == "SecretAccessKey").Value;
            using var sts = StsClients.Sts(nodes.B, keyId, secret);
            using var s3 = S3Clients.For(nodes.B, new BasicAWSCredentials(keyId, secret));
            await TwoNodes.UntilAsync(async () => await ListsAsync(s3), Stopwatch.StartNew(), Bound, "the key and its Allow");

            // An explicit Deny: timed from A's answer to B's first refusal.
            await iam.CallAsync("PutUserPolicy", [new("UserName", "measured"), new("PolicyName", "deny"), new("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}""")], CancellationToken.None);
            var since = Stopwatch.StartNew();
            denies.Add((await TwoNodes.UntilAsync(async () => !await ListsAsync(s3), since, Bound, "an explicit Deny")).TotalMilliseconds);
            await iam.CallAsync("DeleteUserPolicy", [new("UserName", "measured"), new("PolicyName", "deny")], CancellationToken.None);

            await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            await iam.CallAsync("DeleteAccessKey", [new("UserName", "measured"), new("AccessKeyId", keyId)], CancellationToken.None);
            since = Stopwatch.StartNew();
            keyDeletes.Add((await TwoNodes.UntilAsync(async () => await RefusedAsync(sts), since, Bound, "a deleted key")).TotalMilliseconds);
        }

        output.WriteLine(Summary("deleted access key refused on B after A answered", keyDeletes));
        output.WriteLine(Summary("explicit Deny enforced on B after A answered", denies));
    }

    private static string Summary(string what, List<double> ms)
    {
        ms.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{what}: n={ms.Count} min={ms[0]:F1} ms median={ms[ms.Count / 2]:F1} ms p95={ms[(int)(ms.Count * 0.95) - 1]:F1} ms max={ms[^1]:F1} ms");
    }

    private static async Task<bool> RefusedAsync(Amazon.SecurityToken.AmazonSecurityTokenServiceClient sts)
    {
        try
        {
            await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            return false;
        }
        catch (Amazon.SecurityToken.AmazonSecurityTokenServiceException e) when (e.ErrorCode == "InvalidClientTokenId")
        {
            return true;
        }
    }

    private static async Task<bool> ListsAsync(Amazon.S3.AmazonS3Client s3)
    {
        try
        {
            await s3.ListBucketsAsync();
            return true;
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.ErrorCode is "AccessDenied" or "InvalidAccessKeyId")
        {
            return false;
        }
    }
}
