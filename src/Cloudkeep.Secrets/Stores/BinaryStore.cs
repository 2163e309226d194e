namespace Cloudkeep.Secrets.Stores;

/// <summary>Any other file: its bytes become the one value "data" of a JSON document, as in sops.</summary>
internal sealed class BinaryStore : ISopsStore
{
    private const string DataKey = "data";

    private readonly JsonStore _json = new();

    public List<SopsMap> LoadPlain(byte[] content) => [[new SopsItem(DataKey, content)]];

    public byte[] EmitPlain(List<SopsMap> documents) => documents.FirstOrDefault()?[DataKey] switch
    {
        byte[] raw => raw,
        string s => System.Text.Encoding.UTF8.GetBytes(s),
        _ => throw new SopsException(SopsExitCodes.ErrorGeneric, "no binary data found in tree"),
    };

    public (List<SopsMap> Documents, SopsMetadata Metadata) LoadEncrypted(byte[] content) => ((ISopsStore)_json).LoadEncrypted(content);

    public byte[] EmitEncrypted(List<SopsMap> documents, SopsMetadata metadata) => ((ISopsStore)_json).EmitEncrypted(documents, metadata);

    public bool HasSopsMetadata(List<SopsMap> documents) => false;
}
