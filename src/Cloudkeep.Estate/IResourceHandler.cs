namespace Cloudkeep.Estate;

/// <summary>
/// Reads, lists, creates, updates and deletes one kind of resource through the AWS APIs. Every
/// mutating call is recorded in the journal with its undo, so a failure part-way leaves nothing
/// half-applied.
/// </summary>
internal interface IResourceHandler
{
    /// <summary>The live values of the fields <paramref name="desired"/> manages, or null when the resource does not exist.</summary>
    Task<Dictionary<string, string>?> ReadAsync(EstateResource desired, CancellationToken cancellationToken);

    /// <summary>The names of the live resources of this kind in the account, for finding what the file no longer declares.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates the resource with what creation needs; apply then updates the remaining fields.</summary>
    Task CreateAsync(EstateResource resolved, ChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>Brings the named fields to their desired values.</summary>
    Task UpdateAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, ChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>Deletes the resource and what only it holds (attachments, memberships, inline policies).</summary>
    Task DeleteAsync(EstateResource resource, ChangeJournal journal, CancellationToken cancellationToken);

    /// <summary>The fields AWS fixes at creation: a change to one replaces the resource (delete, then create).</summary>
    IReadOnlyCollection<string> FixedFields { get; }
}
