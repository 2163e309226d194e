namespace Cloudkeep.Estate;

/// <summary>
/// A handler with fields it can see but not change: AWS lets only a person do it (MFA delete needs
/// the bucket owner's root user and a code from its MFA device). Plan shows their difference, apply
/// prints what to run instead of calling, and the change stays in the plan until it is made.
/// Some desired values cannot be reached at all (a versioned bucket never returns to unversioned):
/// plan refuses those.
/// </summary>
internal interface IManualFields
{
    /// <summary>The fields of this resource only a person can change, given its live state.</summary>
    IReadOnlyCollection<string> ManualFields(IReadOnlyDictionary<string, string> live);

    /// <summary>What the person must run to bring <paramref name="fields"/> to their desired values.</summary>
    Task<string> ManualStepAsync(EstateResource resolved, IReadOnlyDictionary<string, string> live, IReadOnlyList<string> fields, CancellationToken cancellationToken);

    /// <summary>Why the desired state cannot be reached from the live one; empty when it can.</summary>
    IEnumerable<string> Unreachable(EstateResource resolved, IReadOnlyDictionary<string, string> live);
}
