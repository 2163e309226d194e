namespace Cloudkeep.Cli.Estate;

internal enum ChangeAction
{
    Create,
    Update,
}

/// <summary>A field that differs: its live value (null when absent) and its desired one (null when known only after apply).</summary>
internal sealed record FieldChange(string Field, string? Old, string? New);

internal sealed record ResourceChange(EstateResource Resource, ChangeAction Action, IReadOnlyList<FieldChange> Fields);

/// <summary>What apply would do, in the order it would do it.</summary>
internal sealed record EstatePlan(IReadOnlyList<ResourceChange> Changes)
{
    public const string KnownAfterApply = "(known after apply)";

    public bool HasChanges => Changes.Count > 0;

    public string Summary =>
        $"Plan: {Changes.Count(c => c.Action == ChangeAction.Create)} to create, {Changes.Count(c => c.Action == ChangeAction.Update)} to update, 0 to delete.";

    /// <summary>The readable diff: + create with its fields, ~ update with the changed fields, and the summary line.</summary>
    public void Write(TextWriter output)
    {
        if (!HasChanges)
        {
            output.WriteLine("No changes: the live estate matches the file.");
            return;
        }

        foreach (var change in Changes)
        {
            output.WriteLine($"{(change.Action == ChangeAction.Create ? '+' : '~')} {change.Resource.Address}");
            foreach (var field in change.Fields)
            {
                var desired = field.New ?? KnownAfterApply;
                output.WriteLine(change.Action == ChangeAction.Create || field.Old is null
                    ? $"    {field.Field}: {desired}"
                    : $"    {field.Field}: {field.Old} -> {desired}");
            }
        }

        output.WriteLine();
        output.WriteLine(Summary);
    }
}
