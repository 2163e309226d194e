using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>kms:CreateKey. Symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT, origin AWS_KMS) only.</summary>
public sealed class CreateKey(KmsKeyStore store) : KmsOperation(store)
{
    public override string Operation => "CreateKey";

    /// <summary>The id the new key will have, chosen when the request is described so the lockout check can name its ARN.</summary>
    private sealed record NewKeyId(string Value);

    public override ValueTask<AuthorizationTarget> DescribeAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keyId = new NewKeyId(Guid.NewGuid().ToString("D"));
        request.Facts.Set(keyId);
        var target = ForAccount(request);
        var lockout = KmsKeyPolicies.LockoutCheck(
            KmsInput.String(request.Input, "Policy"), KmsKeyStore.KeyArn(request.Region, request.Caller.AccountId, keyId.Value), request.Caller.AccountId, request.Caller.AccountId,
            KmsInput.Boolean(request.Input, "BypassPolicyLockoutSafetyCheck") == true);
        return ValueTask.FromResult(lockout is null ? target : target with { AlsoRequired = [lockout] });
    }

    public override async ValueTask<OperationResult> HandleAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Input;
        var keySpec = KmsInput.String(input, "KeySpec");
        var masterKeySpec = KmsInput.String(input, "CustomerMasterKeySpec");
        if (keySpec is not null && masterKeySpec is not null)
        {
            throw KmsErrors.Validation.ToException("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.");
        }

        var spec = keySpec ?? masterKeySpec ?? KmsKeyMetadata.SymmetricDefault;
        var usage = KmsInput.String(input, "KeyUsage") ?? KmsKeyMetadata.EncryptDecrypt;
        if (spec == KmsKeyMetadata.SymmetricDefault && usage != KmsKeyMetadata.EncryptDecrypt)
        {
            throw KmsErrors.Validation.ToException($"KeyUsage {usage} is not compatible with KeySpec {spec}");
        }

        // AWS supports these; Cloudkeep does not (yet), and says so rather than creating something else.
        if (spec != KmsKeyMetadata.SymmetricDefault)
        {
            throw KmsErrors.UnsupportedOperation.ToException($"KeySpec {spec} is not supported by Cloudkeep; only SYMMETRIC_DEFAULT keys can be created.");
        }

        if (KmsInput.String(input, "Origin") is { } origin && origin != "AWS_KMS")
        {
            throw KmsErrors.UnsupportedOperation.ToException($"Origin {origin} is not supported by Cloudkeep; only AWS_KMS keys can be created.");
        }

        if (KmsInput.String(input, "CustomKeyStoreId") is not null || KmsInput.String(input, "XksKeyId") is not null)
        {
            throw KmsErrors.UnsupportedOperation.ToException("Custom key stores are not supported by Cloudkeep.");
        }

        if (KmsInput.Boolean(input, "MultiRegion") == true)
        {
            throw KmsErrors.UnsupportedOperation.ToException("Multi-Region keys are not supported by Cloudkeep.");
        }

        var tags = KmsTags.Validate(KmsInput.Tags(input, "Tags"));
        var keyId = request.Facts.Find<NewKeyId>()?.Value ?? Guid.NewGuid().ToString("D");
        var arn = KmsKeyStore.KeyArn(request.Region, request.Caller.AccountId, keyId);
        var policy = KmsInput.String(input, "Policy");
        if (policy is not null)
        {
            KmsKeyPolicies.Parse(policy, arn);
        }

        var now = Store.Now;
        var key = new KmsKeyRecord(
            keyId,
            request.Caller.AccountId,
            request.Region,
            KmsInput.String(input, "Description") ?? "",
            KmsKeyState.Enabled,
            now,
            DeletionDate: null,
            policy ?? KmsKeyPolicies.Default(request.Caller.AccountId),
            PolicyVersion: 1,
            RotationEnabled: false,
            RotationPeriodDays: null,
            NextRotationAt: null,
            CurrentMaterialVersion: 1);
        var material = new KmsKeyMaterialRecord(keyId, 1, Store.NewSealedMaterial(keyId, 1), now);
        await Store.Repository.CreateKeyAsync(key, material, tags, cancellationToken);
        return new OperationResult(new JsonObject { ["KeyMetadata"] = KmsKeyMetadata.Build(key) });
    }
}
