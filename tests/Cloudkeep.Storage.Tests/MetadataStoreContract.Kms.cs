using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Storage.Tests;

/// <summary>The KMS key repository, on every engine.</summary>
public abstract partial class MetadataStoreContract
{
    private static readonly DateTimeOffset KmsTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static KmsKeyRecord KmsKey(string id, string account = "111111111111", string region = "eu-west-1") =>
        new(id, account, region, "d", "Enabled", KmsTime, null, "{}", 1, false, null, null, 1);

    private static async Task<KmsKeyRepository> KmsWithKeysAsync(IMetadataStore store, params string[] ids)
    {
        var kms = new KmsKeyRepository(store);
        foreach (var id in ids)
        {
            await kms.CreateKeyAsync(KmsKey(id), new KmsKeyMaterialRecord(id, 1, "sealed-" + id, KmsTime), [], CancellationToken.None);
        }

        return kms;
    }

    [Fact]
    public async Task KmsKeys_CreateGetList_RoundTripAndPageByKeyId()
    {
        var kms = await KmsWithKeysAsync(Store, "b0000000-0000-0000-0000-000000000000", "a0000000-0000-0000-0000-000000000000", "c0000000-0000-0000-0000-000000000000");
        await kms.CreateKeyAsync(KmsKey("d0000000-0000-0000-0000-000000000000", region: "us-east-1"), new KmsKeyMaterialRecord("d0000000-0000-0000-0000-000000000000", 1, "s", KmsTime), [], CancellationToken.None);
        Assert.Equal(KmsKey("a0000000-0000-0000-0000-000000000000"), await kms.GetKeyAsync("a0000000-0000-0000-0000-000000000000", CancellationToken.None));
        var first = await kms.ListKeysAsync("111111111111", "eu-west-1", null, 2, CancellationToken.None);
        Assert.Equal(["a0000000-0000-0000-0000-000000000000", "b0000000-0000-0000-0000-000000000000"], first.Select(k => k.KeyId));
        var rest = await kms.ListKeysAsync("111111111111", "eu-west-1", first[^1].KeyId, 2, CancellationToken.None);
        Assert.Equal(["c0000000-0000-0000-0000-000000000000"], rest.Select(k => k.KeyId));
    }

    [Fact]
    public async Task KmsKeys_StatePolicyRotation_Updated()
    {
        const string Id = "a0000000-0000-0000-0000-000000000000";
        var kms = await KmsWithKeysAsync(Store, Id);
        await kms.SetStateAsync(Id, "PendingDeletion", KmsTime.AddDays(7), CancellationToken.None);
        await kms.SetPolicyAsync(Id, "{\"new\":1}", CancellationToken.None);
        await kms.SetRotationAsync(Id, true, 90, KmsTime.AddDays(90), CancellationToken.None);
        var key = await kms.GetKeyAsync(Id, CancellationToken.None);
        Assert.Equal(KmsKey(Id) with
        {
            KeyState = "PendingDeletion",
            DeletionDate = KmsTime.AddDays(7),
            Policy = "{\"new\":1}",
            PolicyVersion = 2,
            RotationEnabled = true,
            RotationPeriodDays = 90,
            NextRotationAt = KmsTime.AddDays(90),
        }, key);
    }

    [Fact]
    public async Task KmsMaterial_AddVersion_NextVersionCurrentAndStaleRotationAddsNothing()
    {
        const string Id = "a0000000-0000-0000-0000-000000000000";
        var kms = await KmsWithKeysAsync(Store, Id);
        Assert.Equal(2, await kms.AddMaterialAsync(Id, 1, "v2", KmsTime, null, CancellationToken.None));
        Assert.Equal(2, await kms.AddMaterialAsync(Id, 1, "lost", KmsTime, null, CancellationToken.None));
        Assert.Equal(2, (await kms.GetKeyAsync(Id, CancellationToken.None))!.CurrentMaterialVersion);
        Assert.Equal("sealed-" + Id, (await kms.GetMaterialAsync(Id, 1, CancellationToken.None))!.MaterialSealed);
        Assert.Equal("v2", (await kms.GetMaterialAsync(Id, 2, CancellationToken.None))!.MaterialSealed);
        Assert.Null(await kms.GetMaterialAsync(Id, 3, CancellationToken.None));
    }

    [Fact]
    public async Task KmsAliases_DuplicateRefused_UpdateListDelete()
    {
        const string A = "a0000000-0000-0000-0000-000000000000";
        const string B = "b0000000-0000-0000-0000-000000000000";
        var kms = await KmsWithKeysAsync(Store, A, B);
        Assert.True(await kms.CreateAliasAsync(new KmsAliasRecord("111111111111", "eu-west-1", "alias/x", A, KmsTime, KmsTime), CancellationToken.None));
        Assert.False(await kms.CreateAliasAsync(new KmsAliasRecord("111111111111", "eu-west-1", "alias/x", B, KmsTime, KmsTime), CancellationToken.None));
        Assert.True(await kms.CreateAliasAsync(new KmsAliasRecord("111111111111", "eu-west-1", "alias/y", A, KmsTime, KmsTime), CancellationToken.None));
        Assert.True(await kms.UpdateAliasAsync("111111111111", "eu-west-1", "alias/y", B, KmsTime.AddDays(1), CancellationToken.None));
        Assert.Equal(["alias/x"], (await kms.ListAliasesAsync("111111111111", "eu-west-1", A, null, 10, CancellationToken.None)).Select(a => a.AliasName));
        Assert.Equal(["alias/y"], (await kms.ListAliasesAsync("111111111111", "eu-west-1", null, "alias/x", 10, CancellationToken.None)).Select(a => a.AliasName));
        Assert.True(await kms.DeleteAliasAsync("111111111111", "eu-west-1", "alias/x", CancellationToken.None));
        Assert.False(await kms.DeleteAliasAsync("111111111111", "eu-west-1", "alias/x", CancellationToken.None));
        Assert.Null(await kms.GetAliasAsync("111111111111", "eu-west-1", "alias/x", CancellationToken.None));
    }

    [Fact]
    public async Task KmsTags_UpsertAndRemove_InOneTransaction()
    {
        const string Id = "a0000000-0000-0000-0000-000000000000";
        var kms = await KmsWithKeysAsync(Store, Id);
        await kms.ChangeTagsAsync(Id, [KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2")], [], CancellationToken.None);
        await kms.ChangeTagsAsync(Id, [KeyValuePair.Create("a", "3")], ["b", "none"], CancellationToken.None);
        Assert.Equal([KeyValuePair.Create("a", "3")], await kms.GetTagsAsync(Id, CancellationToken.None));
    }

    [Fact]
    public async Task KmsDeleteKey_RemovesMaterialAliasesAndTags()
    {
        const string Id = "a0000000-0000-0000-0000-000000000000";
        var kms = await KmsWithKeysAsync(Store, Id);
        await kms.CreateAliasAsync(new KmsAliasRecord("111111111111", "eu-west-1", "alias/x", Id, KmsTime, KmsTime), CancellationToken.None);
        await kms.ChangeTagsAsync(Id, [KeyValuePair.Create("a", "1")], [], CancellationToken.None);
        await kms.DeleteKeyAsync(Id, CancellationToken.None);
        Assert.Null(await kms.GetKeyAsync(Id, CancellationToken.None));
        Assert.Null(await kms.GetMaterialAsync(Id, 1, CancellationToken.None));
        Assert.Null(await kms.GetAliasAsync("111111111111", "eu-west-1", "alias/x", CancellationToken.None));
        Assert.Empty(await kms.GetTagsAsync(Id, CancellationToken.None));
    }
}
