namespace Cloudkeep.Policy;

/// <summary>
/// The positive comparison behind a condition operator; negated operators (StringNotEquals, NotIpAddress, ...)
/// are the same test with <see cref="ConditionOperator.Negated"/> set.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
/// </summary>
internal enum ConditionTest
{
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}
