using Cloudkeep.Storage.Metadata;
using Cloudkeep.Testing;

namespace Cloudkeep.Storage.Tests;

public sealed class SqliteMetadataStoreTests : MetadataStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IMetadataStore> CreateStoreAsync() =>
        Task.FromResult<IMetadataStore>(new SqliteMetadataStore(Path.Combine(_directory.Path, $"cloudkeep-{Guid.NewGuid():N}.db")));

    public void Dispose() => _directory.Dispose();
}
