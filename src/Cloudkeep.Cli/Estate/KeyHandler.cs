using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Cloudkeep.Cli.Estate;

/// <summary>KMS keys, found by their alias (alias/NAME): description and key policy.</summary>
internal sealed class KeyHandler(AmazonKeyManagementServiceClient kms) : IResourceHandler
{
    public async Task<KeyIdentity?> FindAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = $"alias/{name}" }, cancellationToken)).KeyMetadata;
            return new KeyIdentity(metadata.Arn, metadata.KeyId);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public async Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken)
    {
        KeyMetadata metadata;
        try
        {
            metadata = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = $"alias/{desired.Name}" }, cancellationToken)).KeyMetadata;
        }
        catch (NotFoundException)
        {
            return null;
        }

        var live = new Dictionary<string, string>(StringComparer.Ordinal) { ["description"] = metadata.Description ?? "" };
        if (desired.Fields.ContainsKey("policy"))
        {
            var policy = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = metadata.KeyId, PolicyName = "default" }, cancellationToken);
            live["policy"] = CanonicalJson.Parse(policy.Policy);
        }

        return live;
    }

    public async Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken)
    {
        var key = await kms.CreateKeyAsync(new CreateKeyRequest
        {
            Description = resolved.Fields.GetValueOrDefault("description") ?? "",
            Policy = resolved.Fields.GetValueOrDefault("policy"),
        }, cancellationToken);
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/{resolved.Name}", TargetKeyId = key.KeyMetadata.KeyId }, cancellationToken);
    }

    public async Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var keyId = (await FindAsync(resolved.Name, cancellationToken))!.Id;
        if (fields.Contains("description"))
        {
            await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = keyId, Description = resolved.Fields["description"] }, cancellationToken);
        }

        if (fields.Contains("policy"))
        {
            await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = keyId, PolicyName = "default", Policy = resolved.Fields["policy"] }, cancellationToken);
        }
    }
}
