using System.Text.Json;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests;

/// <summary>STS GetCallerIdentity end to end through the AWS CLI, the .NET SDK and botocore's presigner.</summary>
public abstract class GetCallerIdentityTests(ServerFixture fixture)
{
    private readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AwsCli_RootKey_PrintsRootArn()
    {
        var result = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "sts", "get-caller-identity");
        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal($"arn:aws:iam::{_server.AccountId}:root", json.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(_server.AccountId, json.RootElement.GetProperty("Account").GetString());
        Assert.Equal(_server.AccountId, json.RootElement.GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task AwsCli_WrongSecret_FailsWithSignatureDoesNotMatch()
    {
        var result = await AwsCli.RunAsync(_server.Endpoint, TestServer.RootAccessKeyId, "wrong-secret-wrong-secret-wrong-secret00", "sts", "get-caller-identity");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SignatureDoesNotMatch", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsCli_UnknownKey_FailsWithInvalidClientTokenId()
    {
        var result = await AwsCli.RunAsync(_server.Endpoint, "AKIAUNKNOWNUNKNOWN00", TestServer.RootSecretAccessKey, "sts", "get-caller-identity");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("InvalidClientTokenId", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotnetSdk_RootKey_GetsRootArn()
    {
        using var sts = StsClients.Sts(_server);
        var response = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:iam::{_server.AccountId}:root", response.Arn);
        Assert.Equal(_server.AccountId, response.Account);
        Assert.False(string.IsNullOrEmpty(response.ResponseMetadata.RequestId));
    }

    [Fact]
    public async Task DotnetSdk_WrongSecret_ThrowsSignatureDoesNotMatch()
    {
        using var sts = StsClients.Sts(_server, secret: "not-the-secret-not-the-secret-not-the-se");
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task DotnetSdk_SessionTokenWithLongTermKey_ThrowsInvalidClientTokenId()
    {
        using var sts = new AmazonSecurityTokenServiceClient(
            new Amazon.Runtime.SessionAWSCredentials(TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, "made-up-token"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = _server.Endpoint, AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }

    [Fact]
    public async Task BotocorePresignedUrl_GetCallerIdentity_Works()
    {
        var url = await Presign(_server.Endpoint, expires: 60);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(url));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, url + "\n" + body);
        Assert.Contains($"<Arn>arn:aws:iam::{_server.AccountId}:root</Arn>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotocorePresignedUrl_Tampered_IsRefused()
    {
        var url = await Presign(_server.Endpoint, expires: 60);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(url.Replace("Version=2011-06-15", "Version=2011-06-16", StringComparison.Ordinal)));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A presigned STS GET made by botocore, an independent SigV4 implementation.</summary>
    internal static async Task<string> Presign(string endpoint, int expires, string? date = null, string action = "GetCallerIdentity")
    {
        var script = $$"""
            import botocore.auth, botocore.awsrequest, botocore.credentials, datetime, sys
            creds = botocore.credentials.Credentials('{{TestServer.RootAccessKeyId}}', '{{TestServer.RootSecretAccessKey}}')
            request = botocore.awsrequest.AWSRequest(method='GET', url='{{endpoint}}/', params={'Action': '{{action}}', 'Version': '2011-06-15'})
            signer = botocore.auth.SigV4QueryAuth(creds, 'sts', 'eu-west-1', expires={{expires}})
            date = {{(date is null ? "None" : $"'{date}'")}}
            if date:
                import unittest.mock
                fixed = datetime.datetime.strptime(date, '%Y%m%dT%H%M%SZ')
                with unittest.mock.patch('botocore.auth.get_current_datetime', return_value=fixed):
                    signer.add_auth(request)
            else:
                signer.add_auth(request)
            print(request.prepare().url)
            """;
        var result = await ProcessRunner.RunAsync("python3", ["-c", script]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }
}

public sealed class GetCallerIdentityTestsOnSqlite(ServerFixture fixture) : GetCallerIdentityTests(fixture), IClassFixture<ServerFixture>;

public sealed class GetCallerIdentityTestsOnPostgres(PostgresServerFixture fixture) : GetCallerIdentityTests(fixture), IClassFixture<PostgresServerFixture>;
