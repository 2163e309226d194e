namespace Cloudkeep.Policy;

/// <summary>One problem found in a policy document, with the code and message AWS returns for it.</summary>
public sealed record PolicyError(PolicyErrorCode Code, string Message);
