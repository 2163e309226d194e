namespace Cloudkeep.Auth.Tests;

/// <summary>One estate (server, users, MFA devices, fake clock) for every auth test class; they run one after another so MFA time steps never collide.</summary>
[CollectionDefinition(Name)]
public sealed class AuthEstateGroup : ICollectionFixture<AuthEstate>
{
    public const string Name = "auth estate";
}
