using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cloudkeep.Services.Iam.Model;

namespace Cloudkeep.Services.Iam;

/// <summary>
/// Console passwords: never stored, only PBKDF2-HMAC-SHA256 hashes with a random salt (600,000
/// iterations, OWASP's 2023 figure for this PRF), compared in constant time; and the account's
/// password policy, or AWS's default policy when the account has none.
/// </summary>
public static class Passwords
{
    private const int Iterations = 600_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Every rule of the policy the password breaks, in AWS's words (empty when it conforms).</summary>
    public static IReadOnlyList<string> Violations(string password, PasswordPolicy? policy)
    {
        var problems = new List<string>();
        if (policy is null)
        {
            // "Default password policy": at least 8 characters and three of the four character types.
            if (password.Length < 8)
            {
                problems.Add("Password should have at least 8 characters");
            }

            var types = new[] { password.Any(char.IsAsciiLetterUpper), password.Any(char.IsAsciiLetterLower), password.Any(char.IsAsciiDigit), password.Any(IsSymbol) }.Count(t => t);
            if (types < 3)
            {
                problems.Add("Password should have a mix of at least three of: uppercase letters, lowercase letters, numbers and symbols");
            }

            return problems;
        }

        if (password.Length < policy.MinimumPasswordLength)
        {
            problems.Add($"Password should have at least {policy.MinimumPasswordLength} characters");
        }

        if (policy.RequireUppercaseCharacters && !password.Any(char.IsAsciiLetterUpper))
        {
            problems.Add("Password should have at least one uppercase letter");
        }

        if (policy.RequireLowercaseCharacters && !password.Any(char.IsAsciiLetterLower))
        {
            problems.Add("Password should have at least one lowercase letter");
        }

        if (policy.RequireNumbers && !password.Any(char.IsAsciiDigit))
        {
            problems.Add("Password should have at least one number");
        }

        if (policy.RequireSymbols && !password.Any(IsSymbol))
        {
            problems.Add("Password should have at least one symbol");
        }

        return problems;
    }

    public static void Enforce(string password, PasswordPolicy? policy)
    {
        var problems = Violations(password, policy);
        if (problems.Count > 0)
        {
            throw IamErrors.PasswordPolicyViolation.ToException(string.Join("; ", problems));
        }
    }

    /// <summary>IAM's symbols: ! @ # $ % ^ &amp; * ( ) _ + - = [ ] { } | '.</summary>
    private static bool IsSymbol(char c) => "!@#$%^&*()_+-=[]{}|'".Contains(c, StringComparison.Ordinal);
}
