namespace Cloudkeep.Estate;

/// <summary>One account's connection and the resource handlers that use it.</summary>
internal sealed class AccountContext : IDisposable
{
    private readonly EstateConnection _connection;
    private readonly bool _owned;

    public AccountContext(EstateConnection connection, AccountHandler accounts, bool owned, SecretsFile? secrets = null, IReadOnlyCollection<string>? keyRegions = null, IReadOnlyCollection<string>? serviceRegions = null)
    {
        _connection = connection;
        _owned = owned;
        Keys = new KeyHandler(connection, keyRegions ?? []);
        Func<CancellationToken, Task<string>> accountId = connection.AccountIdAsync;
        IReadOnlyCollection<string> regions = serviceRegions ?? [connection.DefaultRegion];
        var topics = new TopicHandler(connection, regions);
        Handlers = new Dictionary<ResourceKind, IResourceHandler>
        {
            [ResourceKind.OrganizationalUnit] = new OrganizationalUnitHandler(connection.Organizations),
            [ResourceKind.Account] = accounts,
            [ResourceKind.AccountSettings] = new AccountSettingsHandler(connection.Iam, accountId),
            [ResourceKind.Policy] = new PolicyHandler(connection.Iam, accountId),
            [ResourceKind.Group] = new GroupHandler(connection.Iam, accountId),
            [ResourceKind.GroupPolicy] = new InlinePolicyHandler(connection.Iam, accountId, "Group"),
            [ResourceKind.User] = new UserHandler(connection.Iam, accountId, secrets),
            [ResourceKind.Role] = new RoleHandler(connection.Iam, accountId),
            [ResourceKind.RolePolicy] = new InlinePolicyHandler(connection.Iam, accountId, "Role"),
            [ResourceKind.Key] = Keys,
            [ResourceKind.Bucket] = new BucketHandler(connection),
            [ResourceKind.Trail] = new TrailHandler(connection),
            [ResourceKind.Topic] = topics,
            [ResourceKind.Subscription] = new SubscriptionHandler(connection, topics),
            [ResourceKind.Alarm] = new AlarmHandler(connection, regions),
            [ResourceKind.Budget] = new BudgetHandler(connection),
            [ResourceKind.Zone] = Zones = new ZoneHandler(connection.Route53),
            [ResourceKind.ServiceControlPolicy] = new ScpHandler(connection.Organizations),
        };
    }

    public KeyHandler Keys { get; }

    public ZoneHandler Zones { get; }

    public IReadOnlyDictionary<ResourceKind, IResourceHandler> Handlers { get; }

    public void Dispose()
    {
        if (_owned)
        {
            _connection.Dispose();
        }
    }
}
