namespace Cloudkeep.Policy;

/// <summary>ForAllValues / ForAnyValue on multivalued keys.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html</summary>
internal enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}
