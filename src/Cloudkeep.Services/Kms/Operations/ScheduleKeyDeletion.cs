using System.Text.Json.Nodes;
using Cloudkeep.Core.Operations;
using Cloudkeep.Storage.Metadata;

namespace Cloudkeep.Services.Kms.Operations;

/// <summary>
/// kms:ScheduleKeyDeletion: the key becomes PendingDeletion for 7-30 days (default 30) and is
/// deleted, with its material and aliases, when the window ends.
/// </summary>
public sealed class ScheduleKeyDeletion(KmsKeyStore store) : KmsKeyOperation(store)
{
    public const int MinWindowDays = 7;
    public const int MaxWindowDays = 30;

    public override string Operation => "ScheduleKeyDeletion";

    protected override async ValueTask<OperationResult> HandleAsync(OperationRequest request, KmsKeyRecord key, CancellationToken cancellationToken)
    {
        var days = KmsInput.Integer(request.Input, "PendingWindowInDays") ?? MaxWindowDays;
        if (days < MinWindowDays || days > MaxWindowDays)
        {
            var bound = days < MinWindowDays ? $"greater than or equal to {MinWindowDays}" : $"less than or equal to {MaxWindowDays}";
            throw KmsErrors.Validation.ToException($"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value {bound}");
        }

        KmsKeyStore.EnsureNotPendingDeletion(key);
        var deletion = Store.Now.AddDays(days);
        await Store.Repository.SetStateAsync(key.KeyId, KmsKeyState.PendingDeletion, deletion, cancellationToken);
        return new OperationResult(new JsonObject
        {
            ["KeyId"] = KmsKeyStore.KeyArn(key),
            ["DeletionDate"] = deletion,
            ["KeyState"] = KmsKeyState.PendingDeletion,
            ["PendingWindowInDays"] = days,
        });
    }
}
