using System.Text.Json.Nodes;

namespace Cloudkeep.Services.Kms;

/// <summary>Data key sizes: KeySpec (AES_256, AES_128) or NumberOfBytes (1-1024), exactly one of them.</summary>
internal static class KmsDataKeys
{
    public const int MaxBytes = 1024;

    public static int Length(JsonObject input)
    {
        var spec = KmsInput.String(input, "KeySpec");
        var bytes = KmsInput.Integer(input, "NumberOfBytes");
        return (spec, bytes) switch
        {
            (null, null) => throw KmsErrors.Validation.ToException("Please specify either number of bytes or key spec."),
            (not null, not null) => throw KmsErrors.Validation.ToException("Please specify either number of bytes or key spec, not both."),
            ("AES_256", _) => 32,
            ("AES_128", _) => 16,
            (not null, _) => throw KmsErrors.Validation.ToException($"1 validation error detected: Value '{spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"),
            (_, { } n) => NumberOfBytes(n),
        };
    }

    public static int NumberOfBytes(long n) => n is >= 1 and <= MaxBytes
        ? (int)n
        : throw KmsErrors.Validation.ToException($"1 validation error detected: Value '{n}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and {MaxBytes}");

    public static void ThrowIfDryRun(JsonObject input)
    {
        if (KmsInput.Boolean(input, "DryRun") == true)
        {
            throw KmsErrors.DryRunOperation.ToException("The request would have succeeded, but the DryRun option is set.");
        }
    }
}
