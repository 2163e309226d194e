namespace Cloudkeep.Auth;

/// <summary>The two shared files differ only in how a section names its profile: `[profile name]` in config, `[name]` in credentials.</summary>
internal enum ProfileFileKind
{
    Config,
    Credentials,
}
