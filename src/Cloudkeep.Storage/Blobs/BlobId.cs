using System.Security.Cryptography;

namespace Cloudkeep.Storage.Blobs;

/// <summary>
/// The name of one stored blob: a storage location (a region) and a random 128-bit id. Neither is
/// ever taken from a user's key, so no object key can choose or influence a path on disk.
/// </summary>
public readonly record struct BlobId(string Location, string Id)
{
    public static BlobId New(string location)
    {
        if (!IsValidLocation(location))
        {
            throw new ArgumentException($"'{location}' is not a valid storage location.", nameof(location));
        }

        return new BlobId(location, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>Locations are region names: lower-case letters, digits and dashes.</summary>
    public static bool IsValidLocation(string location) =>
        location.Length is > 0 and <= 63 && location.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && location[0] != '-';

    public static bool IsValidId(string id) =>
        id.Length == 32 && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public override string ToString() => Location + "/" + Id;

    public static bool TryParse(string value, out BlobId blob)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        blob = default;
        if (slash <= 0 || !IsValidLocation(value[..slash]) || !IsValidId(value[(slash + 1)..]))
        {
            return false;
        }

        blob = new BlobId(value[..slash], value[(slash + 1)..]);
        return true;
    }
}
