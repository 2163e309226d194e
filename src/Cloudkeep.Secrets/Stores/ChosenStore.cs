namespace Cloudkeep.Secrets.Stores;

/// <summary>
/// A store with the reason it was chosen for a file. The format comes from the file's extension unless
/// --input-type names it (as in sops), so a YAML file called "secrets" is read as binary, whose encrypted form is
/// JSON; when the content is not in the chosen format, the error says which format was assumed and from what, and
/// how to name another, instead of only "not valid JSON".
/// </summary>
internal sealed class ChosenStore(ISopsStore inner, string path, string format, bool fromFileName) : ISopsStore
{
    public List<SopsMap> LoadPlain(byte[] content)
    {
        try
        {
            return inner.LoadPlain(content);
        }
        catch (SopsException e) when (e.NotInFormat)
        {
            throw Explained(e, encrypted: false);
        }
    }

    public (List<SopsMap> Documents, SopsMetadata Metadata) LoadEncrypted(byte[] content)
    {
        try
        {
            return inner.LoadEncrypted(content);
        }
        catch (SopsException e) when (e.NotInFormat)
        {
            throw Explained(e, encrypted: true);
        }
    }

    public byte[] EmitPlain(List<SopsMap> documents) => inner.EmitPlain(documents);

    public byte[] EmitEncrypted(List<SopsMap> documents, SopsMetadata metadata) => inner.EmitEncrypted(documents, metadata);

    public bool HasSopsMetadata(List<SopsMap> documents) => inner.HasSopsMetadata(documents);

    private SopsException Explained(SopsException e, bool encrypted)
    {
        var read = format switch
        {
            "yaml" => "YAML",
            "json" => "JSON",
            "binary" when encrypted => "binary, whose encrypted form is JSON,",
            _ => format,
        };
        var why = !fromFileName
            ? $"as --input-type {format} says"
            : $"because of its file name ({(format == "binary" ? "no .yaml, .yml, .json or .env extension" : $"the {Path.GetExtension(path)} extension")}); " +
                "if it holds another format, name it with --input-type yaml, json, dotenv or binary";
        return new SopsException(e.ExitCode, $"{e.Message.TrimEnd('.')}. {Path.GetFileName(path)} was read as {read} {why}", e);
    }
}
