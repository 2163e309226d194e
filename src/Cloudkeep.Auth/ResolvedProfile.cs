namespace Cloudkeep.Auth;

/// <summary>
/// What `cloudkeep auth` needs from the config: the profile used (null when the credentials come
/// from the environment alone), the credential tree, the region, the STS endpoint (null for AWS's
/// own), and the global endpoint the child is given as AWS_ENDPOINT_URL when one is configured.
/// </summary>
internal sealed record ResolvedProfile(string? Name, CredentialSource Source, string? Region, string? StsEndpoint, string? EndpointUrl)
{
    /// <summary>AWS_CA_BUNDLE, else the profile's ca_bundle: the certificates STS is trusted by (null: the system's).</summary>
    public string? CaBundle { get; init; }
}
