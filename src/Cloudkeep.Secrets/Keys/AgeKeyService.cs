namespace Cloudkeep.Secrets.Keys;

/// <summary>
/// age master keys (age/keysource.go): the data key is age-encrypted to the recipient and stored
/// armored. Identities come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then
/// $XDG_CONFIG_HOME/sops/age/keys.txt (~/.config/sops/age/keys.txt), the places sops looks.
/// </summary>
internal sealed class AgeKeyService(SecretsEnvironment environment)
{
    private List<byte[]>? _identities;

    public static void Encrypt(AgeMasterKey key, byte[] dataKey)
    {
        byte[] recipient;
        try
        {
            recipient = AgeCrypto.ParseRecipient(key.Recipient);
        }
        catch (FormatException e)
        {
            throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, $"'{key.Recipient}' is not a valid age recipient", e);
        }

        key.Enc = AgeCrypto.Encrypt(dataKey, recipient);
    }

    public byte[] Decrypt(AgeMasterKey key)
    {
        var identities = Identities();
        if (identities.Count == 0)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, "no age identity found (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt)");
        }

        try
        {
            return AgeCrypto.Decrypt(key.Enc, identities) ?? throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"no age identity matches {key.Recipient}");
        }
        catch (FormatException e)
        {
            throw new SopsException(SopsExitCodes.CouldNotRetrieveKey, $"the age data key for {key.Recipient} is malformed: {e.Message}", e);
        }
    }

    private List<byte[]> Identities()
    {
        if (_identities is not null)
        {
            return _identities;
        }

        var texts = new List<string>();
        if (environment.GetVariable("SOPS_AGE_KEY") is { } inline)
        {
            texts.Add(inline);
        }

        if (environment.GetVariable("SOPS_AGE_KEY_FILE") is { } file && File.Exists(file))
        {
            texts.Add(File.ReadAllText(file));
        }

        var config = environment.GetVariable("XDG_CONFIG_HOME") ?? Path.Combine(environment.GetVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        var defaultFile = Path.Combine(config, "sops", "age", "keys.txt");
        if (File.Exists(defaultFile))
        {
            texts.Add(File.ReadAllText(defaultFile));
        }

        _identities = [];
        foreach (var line in texts.SelectMany(t => t.Split('\n')).Select(l => l.Trim()))
        {
            if (line.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            {
                _identities.Add(AgeCrypto.ParseIdentity(line));
            }
        }

        return _identities;
    }
}
