using System.Text.Json;
using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.Iam;

/// <summary>A server holding 25 users, roles, customer managed policies and groups under one path, made through boto3.</summary>
public class IamPagingEstate : IAsyncLifetime
{
    protected virtual MetadataEngine Engine => MetadataEngine.Sqlite;

    public const int Count = 25;
    public const string PathPrefix = "/paging/";

    public TestServer Server { get; private set; } = null!;

    public static IReadOnlyList<string> Names(string prefix) => [.. Enumerable.Range(0, Count).Select(i => $"{prefix}-{i:D2}")];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(database: await TestDatabase.CreateAsync(Engine));
        await Boto3.RunAsync(Server, $$"""
            iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='eu-west-1')
            trust = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '{{Server.AccountId}}'}, 'Action': 'sts:AssumeRole'}]})
            document = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:ListAllMyBuckets', 'Resource': '*'}]})
            # Created out of order, so the listing's order is the server's doing.
            for i in reversed(range({{Count}})):
                iam.create_user(UserName=f'user-{i:02d}', Path='{{PathPrefix}}')
                iam.create_role(RoleName=f'role-{i:02d}', Path='{{PathPrefix}}', AssumeRolePolicyDocument=trust)
                iam.create_policy(PolicyName=f'policy-{i:02d}', Path='{{PathPrefix}}', PolicyDocument=document)
                iam.create_group(GroupName=f'group-{i:02d}', Path='{{PathPrefix}}')
            print('{}')
            """);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// IAM's Marker/MaxItems paging as the server decides it, driven by boto3: by hand with MaxItems and Marker, and by
/// boto3's own paginator with PageSize. Every entity comes back exactly once, in order, and MaxItems is never exceeded.
/// </summary>
public abstract class IamPagingTests(IamPagingEstate estate)
{
    public static TheoryData<string, string, string, string, int> Cases()
    {
        var data = new TheoryData<string, string, string, string, int>();
        foreach (var (operation, member, nameField, prefix) in new[]
        {
            ("list_users", "Users", "UserName", "user"),
            ("list_roles", "Roles", "RoleName", "role"),
            ("list_policies", "Policies", "PolicyName", "policy"),
            ("list_groups", "Groups", "GroupName", "group"),
        })
        {
            foreach (var maxItems in new[] { 1, 7, 25, 100 })
            {
                data.Add(operation, member, nameField, prefix, maxItems);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IamList_MaxItemsAndMarker_ReturnsEveryEntityOnceInFullPages(string operation, string member, string nameField, string prefix, int maxItems)
    {
        var scope = operation == "list_policies" ? ", Scope='Local'" : "";
        var result = await Boto3.RunAsync(estate.Server, $$"""
            iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='eu-west-1')
            pages = []
            kwargs = dict(PathPrefix='{{IamPagingEstate.PathPrefix}}', MaxItems={{maxItems}}{{scope}})
            while len(pages) < 100:
                response = getattr(iam, '{{operation}}')(**kwargs)
                pages.append({'names': [e['{{nameField}}'] for e in response['{{member}}']], 'truncated': response['IsTruncated'], 'marker': response.get('Marker')})
                if not response['IsTruncated']:
                    break
                kwargs['Marker'] = response['Marker']
            paginated = [[e['{{nameField}}'] for e in page['{{member}}']] for page in iam.get_paginator('{{operation}}').paginate(
                PathPrefix='{{IamPagingEstate.PathPrefix}}'{{scope}}, PaginationConfig={'PageSize': {{maxItems}}})]
            print(json.dumps({'pages': pages, 'paginated': paginated}))
            """);

        var expected = IamPagingEstate.Names(prefix);
        var pages = result.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal((expected.Count + maxItems - 1) / maxItems, pages.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            var last = i == pages.Count - 1;
            var names = pages[i].GetProperty("names").GetArrayLength();
            Assert.Equal(last ? expected.Count - (maxItems * i) : maxItems, names);
            Assert.Equal(!last, pages[i].GetProperty("truncated").GetBoolean());
            Assert.Equal(last, pages[i].GetProperty("marker").ValueKind == JsonValueKind.Null);
        }

        Assert.Equal(expected, pages.SelectMany(p => p.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)));
        var paginated = result.GetProperty("paginated").EnumerateArray().ToList();
        Assert.All(paginated, page => Assert.InRange(page.GetArrayLength(), 1, maxItems));
        Assert.Equal(expected, paginated.SelectMany(p => p.EnumerateArray().Select(n => n.GetString()!)));
    }
}

public sealed class IamPagingEstateOnPostgres : IamPagingEstate
{
    protected override MetadataEngine Engine => MetadataEngine.Postgres;
}

public sealed class IamPagingTestsOnSqlite(IamPagingEstate estate) : IamPagingTests(estate), IClassFixture<IamPagingEstate>;

public sealed class IamPagingTestsOnPostgres(IamPagingEstateOnPostgres estate) : IamPagingTests(estate), IClassFixture<IamPagingEstateOnPostgres>;
