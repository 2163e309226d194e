using System.Security.Cryptography;

namespace Cloudkeep.Estate;

/// <summary>
/// Where apply writes the secrets it creates (initial console passwords, access keys): a file only its owner can
/// read (0600), appended to and flushed at once so a later failure loses nothing. Secrets never go
/// to the output or the logs; the output names the file instead.
/// </summary>
internal sealed class SecretsFile(string path)
{
    private const string Symbols = "!@#$%^&*()_+-=[]{}|";

    public string Path { get; } = path;

    public int Written { get; private set; }

    /// <summary>Appends one line: the account, the user and the named secrets (an initial password, or an access key's id and secret).</summary>
    public void Record(string account, string user, IReadOnlyList<(string Name, string Value)> secrets)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(Path, options))
        using (var writer = new StreamWriter(stream))
        {
            // Single-quoted YAML: the only character to escape is the quote itself.
            writer.WriteLine($"- {{account: {account}, user: {user}, {string.Join(", ", secrets.Select(s => $"{s.Name}: '{s.Value.Replace("'", "''", StringComparison.Ordinal)}'"))}}}");
        }

        if (!OperatingSystem.IsWindows())
        {
            // A file that existed before keeps its mode on open: make sure it is private.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Written++;
    }

    /// <summary>A 24-character password with every character class, so any password policy up to 24 characters accepts it.</summary>
    public static string NewPassword()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        var all = lower + upper + digits + Symbols;
        var chars = new List<char>
        {
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)],
        };
        while (chars.Count < 24)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
    }
}
