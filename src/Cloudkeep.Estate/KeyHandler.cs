using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Cloudkeep.Estate;

/// <summary>
/// KMS keys, found by their alias: a resource named "NAME" is alias/NAME in the default region, and
/// "NAME@REGION" is alias/NAME in that region (one alias may name a key in each region, as the
/// seed's two SOPS keys do). Description and key policy are managed.
/// </summary>
internal sealed class KeyHandler(EstateConnection connection, IReadOnlyCollection<string> regions) : IResourceHandler
{
    /// <summary>How long a deleted key waits before KMS destroys it: AWS's default, the longest chance to cancel.</summary>
    public const int DeletionWindowDays = 30;

    public IReadOnlyCollection<string> FixedFields => [];

    /// <summary>The alias and region a resource name stands for.</summary>
    public (string Alias, string Region) Locate(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? ($"alias/{name}", connection.DefaultRegion) : ($"alias/{name[..at]}", name[(at + 1)..]);
    }

    /// <summary>One spelling per key: "NAME@REGION", whichever way the file or the listing named it.</summary>
    public string Canonical(string name)
    {
        var (alias, region) = Locate(name);
        return $"{alias["alias/".Length..]}@{region}";
    }

    public async Task<KeyIdentity?> FindAsync(string name, CancellationToken cancellationToken) =>
        await DescribeAsync(name, cancellationToken) is { } metadata ? new KeyIdentity(metadata.Arn, metadata.KeyId) : null;

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        if (await DescribeAsync(desired.Name, cancellationToken) is not { } metadata)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["description"] = metadata.Description ?? "" };
        if (desired.Fields.ContainsKey("policy"))
        {
            var policy = await Kms(desired.Name).GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = metadata.KeyId, PolicyName = "default" }, cancellationToken);
            live["policy"] = CanonicalJson.Parse(policy.Policy);
        }

        return live;
    }

    /// <summary>The customer aliases of the default region and of every region the file places a key in.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var region in regions.Append(connection.DefaultRegion).Distinct())
        {
            string? marker = null;
            do
            {
                var page = await connection.KmsIn(region).ListAliasesAsync(new ListAliasesRequest { Marker = marker }, cancellationToken);
                foreach (var alias in (page.Aliases ?? []).Where(a => a.TargetKeyId is not null && !a.AliasName.StartsWith("alias/aws/", StringComparison.Ordinal)))
                {
                    // An alias left on a key already waiting for deletion has nothing more to delete.
                    var name = alias.AliasName["alias/".Length..] + (region == connection.DefaultRegion ? "" : $"@{region}");
                    if (await DescribeAsync(name, cancellationToken) is not null)
                    {
                        names.Add(name);
                    }
                }

                marker = page.Truncated == true ? page.NextMarker : null;
            }
            while (marker is not null);
        }

        return names;
    }

    public async Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var kms = Kms(resolved.Name);
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest
        {
            Description = resolved.Fields.GetValueOrDefault("description") ?? "",
            Policy = resolved.Fields.GetValueOrDefault("policy"),
        }, cancellationToken)).KeyMetadata.KeyId;
        // A key cannot be deleted at once: undoing its creation schedules the deletion, in the shortest window.
        journal.Done("CreateKey", () => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key, PendingWindowInDays = 7 }, CancellationToken.None));
        var alias = Locate(resolved.Name).Alias;
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key }, cancellationToken);
        journal.Done("CreateAlias", () => kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias }, CancellationToken.None));
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken)
    {
        var kms = Kms(resolved.Name);
        var keyId = (await FindAsync(resolved.Name, cancellationToken))!.Id;
        if (fields.Contains("description"))
        {
            await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = keyId, Description = resolved.Fields["description"] }, cancellationToken);
            journal.Done("UpdateKeyDescription", () => kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = keyId, Description = live["description"] }, CancellationToken.None));
        }

        if (fields.Contains("policy"))
        {
            await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = keyId, PolicyName = "default", Policy = resolved.Fields["policy"] }, cancellationToken);
            journal.Done("PutKeyPolicy", () => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = keyId, PolicyName = "default", Policy = live["policy"] }, CancellationToken.None));
        }
    }

    /// <summary>Removes the alias and schedules the key's deletion; both undo (the alias back, the deletion cancelled and the key enabled).</summary>
    public async Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken)
    {
        if (await FindAsync(resource.Name, cancellationToken) is not { } key)
        {
            return;
        }

        var kms = Kms(resource.Name);
        var alias = Locate(resource.Name).Alias;
        await kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = alias }, cancellationToken);
        journal.Done("DeleteAlias", () => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.Id }, CancellationToken.None));
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.Id, PendingWindowInDays = DeletionWindowDays }, cancellationToken);
        journal.Done("ScheduleKeyDeletion", async () =>
        {
            await kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.Id }, CancellationToken.None);
            await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.Id }, CancellationToken.None);
        });
    }

    private AmazonKeyManagementServiceClient Kms(string name) => connection.KmsIn(Locate(name).Region);

    private async Task<KeyMetadata?> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = (await Kms(name).DescribeKeyAsync(new DescribeKeyRequest { KeyId = Locate(name).Alias }, cancellationToken)).KeyMetadata;
            // An alias left on a key waiting for deletion does not make the key part of the estate.
            return metadata.KeyState == KeyState.PendingDeletion ? null : metadata;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
