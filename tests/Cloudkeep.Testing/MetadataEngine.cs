namespace Cloudkeep.Testing;

/// <summary>
/// The metadata engine a server test runs on. The suites that touch the stores run on both (the README's
/// "Which suites run on PostgreSQL" says which): an abstract test class with one sealed subclass per engine.
/// </summary>
public enum MetadataEngine
{
    Sqlite,
    Postgres,
}
