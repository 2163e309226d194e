using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>One server for an SNS test class, with the management account's root as the AWS CLI; each test makes its own topics.</summary>
public class SnsFixture : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public TestServer Server { get; private set; } = null!;

    public Cli Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        Root = Cli.Root(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static async Task<string> CreateTopicAsync(Cli cli, string name, params string[] more)
    {
        ArgumentNullException.ThrowIfNull(cli);
        return (await cli.RunAsync(["sns", "create-topic", "--name", name, .. more])).GetProperty("TopicArn").GetString()!;
    }

    /// <summary>Subscribes the endpoint, takes its SubscriptionConfirmation and follows the SubscribeURL unsigned, as a subscriber's code would.</summary>
    public static async Task<string> SubscribeConfirmedAsync(Cli cli, string topicArn, HttpSubscriber endpoint, params string[] more)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(endpoint);
        await cli.RunAsync(["sns", "subscribe", "--topic-arn", topicArn, "--protocol", "http", "--notification-endpoint", endpoint.Url, .. more]);
        var confirmation = JsonDocument.Parse((await endpoint.NextAsync()).Body).RootElement;
        using var http = new HttpClient();
        var response = await http.GetAsync(confirmation.GetProperty("SubscribeURL").GetString());
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, answer);
        var start = answer.IndexOf("<SubscriptionArn>", StringComparison.Ordinal) + "<SubscriptionArn>".Length;
        return answer[start..answer.IndexOf("</SubscriptionArn>", StringComparison.Ordinal)];
    }
}

public sealed class SnsFixtureOnPostgres : SnsFixture
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}
