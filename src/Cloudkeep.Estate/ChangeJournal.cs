using Cloudkeep.Client;

namespace Cloudkeep.Estate;

/// <summary>
/// The calls already made for one resource, each with the call that undoes it. When a later call
/// for the same resource fails, apply undoes them newest first, so the resource is left as it was
/// rather than half-changed. Calls that cannot be undone (a deleted password or access key) are
/// made last by the handlers, after everything that could still fail.
/// </summary>
internal sealed class ChangeJournal
{
    private readonly Stack<(string What, Func<Task> Undo)> _done = new();

    public int Count => _done.Count;

    /// <summary>Records a call that succeeded and how to undo it.</summary>
    public void Done(string what, Func<Task> undo) => _done.Push((what, undo));

    /// <summary>Undoes every recorded call, newest first; the undos that failed, with their errors.</summary>
    public async Task<List<string>> RollbackAsync()
    {
        var failures = new List<string>();
        while (_done.TryPop(out var step))
        {
            try
            {
                await step.Undo();
            }
            catch (Exception e) when (e is IamException or OrganizationsException or Amazon.Runtime.AmazonServiceException or HttpRequestException or EstateException or UnreadableAnswerException)
            {
                failures.Add($"undoing {step.What}: {e.Message}");
            }
        }

        return failures;
    }
}
