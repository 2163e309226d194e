namespace Cloudkeep.Estate;

internal enum ChangeAction
{
    Create,
    Update,

    /// <summary>A field AWS fixes at creation changed: the resource is deleted, then created again.</summary>
    Replace,

    /// <summary>The live resource is not in the file.</summary>
    Delete,
}

/// <summary>A field that differs: its live value (null when absent) and its desired one (null when known only after apply).</summary>
internal sealed record FieldChange(string Field, string? Old, string? New)
{
    /// <summary>A field AWS fixes at creation, whose change replaces the resource.</summary>
    public bool ForcesReplacement { get; init; }

    /// <summary>A field only a person can change (see <see cref="IManualFields"/>): apply prints what to run.</summary>
    public bool Manual { get; init; }
}

internal sealed record ResourceChange(EstateResource Resource, ChangeAction Action, IReadOnlyList<FieldChange> Fields);

/// <summary>What apply would do, in the order it would do it, and what it leaves alone on purpose (<paramref name="Notes"/>).</summary>
internal sealed record EstatePlan(IReadOnlyList<ResourceChange> Changes, IReadOnlyList<string> Notes)
{
    public const string KnownAfterApply = "(known after apply)";

    public bool HasChanges => Changes.Count > 0;

    /// <summary>Whether applying would delete something (a deletion or a replacement), which needs --allow-delete.</summary>
    public int Deletions => Changes.Count(c => c.Action is ChangeAction.Delete or ChangeAction.Replace);

    /// <summary>Terraform's counting: a replacement is one creation and one deletion.</summary>
    public string Summary =>
        $"Plan: {Changes.Count(c => c.Action is ChangeAction.Create or ChangeAction.Replace)} to create, {Changes.Count(c => c.Action == ChangeAction.Update)} to update, {Deletions} to delete.";

    /// <summary>The readable diff: + create with its fields, ~ update with the changed fields, -/+ replace, - delete, and the summary line.</summary>
    public void Write(TextWriter output)
    {
        foreach (var note in Notes)
        {
            output.WriteLine($"note: {note}");
        }

        if (!HasChanges)
        {
            output.WriteLine("No changes: the live estate matches the file.");
            return;
        }

        foreach (var change in Changes)
        {
            var sign = change.Action switch
            {
                ChangeAction.Create => "+",
                ChangeAction.Update => "~",
                ChangeAction.Replace => "-/+",
                _ => "-",
            };
            output.WriteLine($"{sign} {change.Resource.Address}");
            foreach (var field in change.Fields)
            {
                var desired = field.New ?? KnownAfterApply;
                var line = change.Action == ChangeAction.Create || field.Old is null
                    ? $"    {field.Field}: {desired}"
                    : $"    {field.Field}: {field.Old} -> {desired}";
                output.WriteLine(field.ForcesReplacement ? line + "  (forces replacement)" : field.Manual ? line + "  (not applied: apply prints the command to run)" : line);
            }
        }

        output.WriteLine();
        output.WriteLine(Summary);
    }
}
