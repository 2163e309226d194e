namespace Cloudkeep.Secrets.Stores;

/// <summary>One file format: reads and writes documents as trees (sops's Store interface).</summary>
internal interface ISopsStore
{
    /// <summary>The documents of a plain file (YAML may hold several; the others hold one).</summary>
    List<SopsMap> LoadPlain(byte[] content);

    byte[] EmitPlain(List<SopsMap> documents);

    /// <summary>The documents of an encrypted file, its sops block split off.</summary>
    (List<SopsMap> Documents, SopsMetadata Metadata) LoadEncrypted(byte[] content)
    {
        var documents = LoadPlain(content);
        var sops = documents.Select(d => d["sops"]).FirstOrDefault(m => m is not null);
        if (sops is null)
        {
            throw new SopsException(SopsExitCodes.ErrorGeneric, "sops metadata not found");
        }

        foreach (var document in documents)
        {
            document.Remove(SopsMetadataCodec.Key);
        }

        return (documents, SopsMetadataCodec.Read(sops));
    }

    byte[] EmitEncrypted(List<SopsMap> documents, SopsMetadata metadata)
    {
        var block = SopsMetadataCodec.Write(metadata);
        var withMetadata = documents.Select(d =>
        {
            var copy = new SopsMap();
            copy.AddRange(d);
            copy.Add(new SopsItem(SopsMetadataCodec.Key, block));
            return copy;
        }).ToList();
        return EmitPlain(withMetadata);
    }

    /// <summary>Whether a plain document already carries a sops block (sops refuses to encrypt twice).</summary>
    bool HasSopsMetadata(List<SopsMap> documents) => documents.Any(d => d.Contains(SopsMetadataCodec.Key));
}

/// <summary>Picks the store from a type name or the file's extension, as sops does.</summary>
internal static class SopsStores
{
    public static ISopsStore For(string path, string? type)
    {
        var kind = type?.ToLowerInvariant() ?? FromFileName(path);
        ISopsStore store = kind switch
        {
            "yaml" => new YamlStore(),
            "json" => new JsonStore(),
            "dotenv" => new DotenvStore(),
            "binary" => new BinaryStore(),
            _ => throw new SopsException(SopsExitCodes.ErrorGeneric, $"unknown file type '{type}' (yaml, json, dotenv or binary)"),
        };
        return new ChosenStore(store, path, kind, type is null);
    }

    public static string FromFileName(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => "yaml",
        ".json" => "json",
        ".env" => "dotenv",
        _ => "binary",
    };
}
