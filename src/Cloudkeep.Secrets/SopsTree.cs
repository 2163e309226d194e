namespace Cloudkeep.Secrets;

/// <summary>
/// A comment line of a YAML or dotenv file. sops keeps comments in the tree and encrypts them
/// (type "comment"), but never counts them in the MAC.
/// </summary>
internal sealed record SopsComment(string Value);

/// <summary>One entry of a mapping: the key is a string, or a <see cref="SopsComment"/> standing on its own line (then the value is null).</summary>
internal sealed class SopsItem(object key, object? value)
{
    public object Key { get; set; } = key;

    public object? Value { get; set; } = value;
}

/// <summary>
/// An ordered mapping, sops's TreeBranch. Order matters: the MAC runs over the values in document
/// order. Sequences are <c>List&lt;object?&gt;</c>; scalars are string, long, double, bool, null,
/// <see cref="SopsComment"/>, or byte[] (a decrypted "str" that is not UTF-8, from binary files).
/// </summary>
internal sealed class SopsMap : List<SopsItem>
{
    public object? this[string key]
    {
        get => Find(key)?.Value;
        set
        {
            if (Find(key) is { } item)
            {
                item.Value = value;
            }
            else
            {
                Add(new SopsItem(key, value));
            }
        }
    }

    public bool Contains(string key) => Find(key) is not null;

    public bool Remove(string key) => RemoveAll(item => item.Key is string k && k == key) > 0;

    private SopsItem? Find(string key) => this.FirstOrDefault(item => item.Key is string k && k == key);
}
