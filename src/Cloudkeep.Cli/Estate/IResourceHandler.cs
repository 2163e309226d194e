namespace Cloudkeep.Cli.Estate;

/// <summary>Reads, creates and updates one kind of resource through the AWS APIs.</summary>
internal interface IResourceHandler
{
    /// <summary>The live values of the fields <paramref name="desired"/> manages, or null when the resource does not exist.</summary>
    Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken);

    /// <summary>Creates the resource with what creation needs; apply then updates the remaining fields.</summary>
    Task CreateAsync(EstateResource resolved, CancellationToken cancellationToken);

    /// <summary>Brings the named fields to their desired values.</summary>
    Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken);
}
