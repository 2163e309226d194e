using System.Text.Json;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.CloudTrail;

namespace Cloudkeep.Server.Tests.CloudTrail;

/// <summary>The CloudTrail record apart from the wire: redactions, copies for cross-account calls, who an event belongs to.</summary>
public sealed class AuditRecordsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private static readonly Caller User = new(PrincipalKind.User, "111122223333", "arn:aws:iam::111122223333:user/alice", "AIDAEXAMPLE", "AKIAEXAMPLE");

    private static AuditCall Call(string service, string operation, JsonObject? input = null, JsonObject? output = null, Caller? caller = null, string? resourceAccount = null) => new()
    {
        Time = At,
        Service = service,
        Operation = operation,
        Caller = caller ?? User,
        Region = "eu-west-1",
        RequestId = "REQ",
        Input = input,
        Output = output,
        ResourceAccount = resourceAccount,
    };

    [Fact]
    public void Secrets_Hidden_AtAnyDepth_BlobsLeftOut_Base64LookingStringsKept()
    {
        var input = new JsonObject
        {
            ["UserName"] = "abcd",
            ["Password"] = "p4ss",
            ["Nested"] = new JsonObject { ["SessionToken"] = "tok", ["Items"] = new JsonArray(new JsonObject { ["SecretAccessKey"] = "s" }) },
            ["Plaintext"] = JsonValue.Create(new byte[] { 1, 2, 3 }),
            ["CiphertextBlob"] = JsonValue.Create(new byte[] { 4, 5, 6 }),
        };
        var record = JsonDocument.Parse(AuditRecords.Build(Call("iam", "CreateLoginProfile", input))[0].Record).RootElement;
        var parameters = record.GetProperty("requestParameters");
        Assert.Equal("abcd", parameters.GetProperty("userName").GetString());
        Assert.Equal(AuditRecords.Hidden, parameters.GetProperty("password").GetString());
        Assert.Equal(AuditRecords.Hidden, parameters.GetProperty("nested").GetProperty("sessionToken").GetString());
        Assert.Equal(AuditRecords.Hidden, parameters.GetProperty("nested").GetProperty("items")[0].GetProperty("secretAccessKey").GetString());
        Assert.False(parameters.TryGetProperty("plaintext", out _));
        Assert.False(parameters.TryGetProperty("ciphertextBlob", out _));
    }

    [Fact]
    public void CrossAccountCall_TwoCopies_SharingTheirSharedEventId()
    {
        var events = AuditRecords.Build(Call("s3", "GetBucketPolicy", new JsonObject { ["Bucket"] = "theirs" }, resourceAccount: "444455556666"));
        Assert.Equal(["111122223333", "444455556666"], events.Select(e => e.RecipientAccountId));
        var shared = events.Select(e => JsonDocument.Parse(e.Record).RootElement.GetProperty("sharedEventID").GetString()).Distinct().ToList();
        Assert.Single(shared);
        Assert.NotEqual(events[0].EventId, events[1].EventId);
        Assert.Contains(("AWS::S3::Bucket", "theirs"), events[0].Resources);
    }

    [Fact]
    public void GlobalService_RecordedInUsEast1_S3ObjectReadIsData()
    {
        Assert.Equal("us-east-1", AuditRecords.Build(Call("iam", "ListUsers"))[0].Region);
        var data = AuditRecords.Build(Call("s3", "GetObject", new JsonObject { ["Bucket"] = "b", ["Key"] = "k" }))[0];
        Assert.False(data.Management);
        Assert.True(data.ReadOnly);
        Assert.Equal("eu-west-1", data.Region);
    }

    [Fact]
    public void AnonymousWithoutResource_NoEvent_AnonymousOnABucket_ForItsOwner()
    {
        Assert.Empty(AuditRecords.Build(Call("s3", "ListBuckets", caller: Caller.Anonymous)));
        var owned = Assert.Single(AuditRecords.Build(Call("s3", "GetObject", new JsonObject { ["Bucket"] = "b" }, caller: Caller.Anonymous, resourceAccount: "444455556666")));
        Assert.Equal("444455556666", owned.RecipientAccountId);
        Assert.Equal("anonymous", JsonDocument.Parse(owned.Record).RootElement.GetProperty("userIdentity").GetProperty("accountId").GetString());
    }
}
