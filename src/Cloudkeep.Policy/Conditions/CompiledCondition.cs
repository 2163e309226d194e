namespace Cloudkeep.Policy;

/// <summary>
/// One (operator, key, values) triple of a Condition block, with its values pre-parsed for the operator's type.
/// Several keys in a block are AND-ed, several values of one key are OR-ed.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
/// </summary>
internal sealed class CompiledCondition
{
    private const int BufferSize = 512;
    private const int MaxStackValues = 16;

    private readonly ValueTemplate[] _templates;
    private readonly double[] _numbers;
    private readonly long[] _dates;
    private readonly bool[] _bools;
    private readonly IpNetwork[] _networks;

    public CompiledCondition(ConditionOperator op, string key, IReadOnlyList<string> values, bool substituteVariables)
    {
        Operator = op;
        Key = key;
        RawValues = values;
        var templates = new List<ValueTemplate>();
        var numbers = new List<double>();
        var dates = new List<long>();
        var bools = new List<bool>();
        var networks = new List<IpNetwork>();
        foreach (var value in values)
        {
            switch (op.Test)
            {
                case ConditionTest.NumericEquals or ConditionTest.NumericLessThan or ConditionTest.NumericLessThanEquals
                    or ConditionTest.NumericGreaterThan or ConditionTest.NumericGreaterThanEquals:
                    if (ConditionValues.TryParseNumber(value, out var n))
                    {
                        numbers.Add(n);
                    }

                    break;
                case ConditionTest.DateEquals or ConditionTest.DateLessThan or ConditionTest.DateLessThanEquals
                    or ConditionTest.DateGreaterThan or ConditionTest.DateGreaterThanEquals:
                    if (ConditionValues.TryParseDate(value, out var d))
                    {
                        dates.Add(d);
                    }

                    break;
                case ConditionTest.Bool or ConditionTest.Null:
                    if (ConditionValues.TryParseBool(value, out var b))
                    {
                        bools.Add(b);
                    }

                    break;
                case ConditionTest.IpAddress:
                    if (IpNetwork.TryParse(value, out var net))
                    {
                        networks.Add(net);
                    }

                    break;
                default:
                    templates.Add(ValueTemplate.Compile(value, substituteVariables && op.UsesVariables, op.UsesWildcards));
                    break;
            }
        }

        _templates = [.. templates];
        _numbers = [.. numbers];
        _dates = [.. dates];
        _bools = [.. bools];
        _networks = [.. networks];
        foreach (var t in _templates)
        {
            HasVariables |= t.HasVariables;
        }
    }

    public ConditionOperator Operator { get; }

    public string Key { get; }

    public IReadOnlyList<string> RawValues { get; }

    public bool HasVariables { get; }

    public bool Evaluate(RequestContext context)
    {
        var present = context.TryGet(Key, out var requestValues) && requestValues.Length > 0;
        if (Operator.Test == ConditionTest.Null)
        {
            // Null: true checks the key is absent, false that it is present.
            foreach (var expectAbsent in _bools)
            {
                if (expectAbsent != present)
                {
                    return true;
                }
            }

            return false;
        }

        if (!present)
        {
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
            // and ...#Conditions_String: a missing key fails positive operators and satisfies negated ones;
            // ForAllValues is vacuously true, ForAnyValue false.
            return Operator.Qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => Operator.IfExists || Operator.Negated,
            };
        }

        if (HasVariables)
        {
            return EvaluateWithVariables(context, requestValues);
        }

        return Combine(requestValues, default);
    }

    private bool EvaluateWithVariables(RequestContext context, string[] requestValues)
    {
        // Every value is rendered into one stack buffer (offsets kept alongside), so substitution does not allocate.
        // A value holding a variable whose key has no value (and no default) is "effectively null": it equals and is
        // like nothing, so it is left out of the comparison while the condition's other values still count. A
        // positive operator left with no value does not match; a negated one (StringNotEquals, StringNotLike, ...)
        // does, since the key's value is not equal to or like the null value.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
        Span<char> buffer = stackalloc char[BufferSize];
        Span<int> bounds = stackalloc int[MaxStackValues * 2];
        if (_templates.Length > MaxStackValues)
        {
            return EvaluateWithStrings(context, requestValues);
        }

        var used = 0;
        for (var i = 0; i < _templates.Length; i++)
        {
            var t = _templates[i];
            int length;
            if (!t.HasVariables)
            {
                length = t.StaticText!.Length;
                if (used + length > buffer.Length)
                {
                    return EvaluateWithStrings(context, requestValues);
                }

                t.StaticText.AsSpan().CopyTo(buffer[used..]);
            }
            else
            {
                length = t.Render(context, buffer[used..]);
                if (length == -1)
                {
                    bounds[2 * i] = used;
                    bounds[(2 * i) + 1] = RenderedValues.NoValue;
                    continue;
                }

                if (length < 0)
                {
                    return EvaluateWithStrings(context, requestValues);
                }
            }

            bounds[2 * i] = used;
            bounds[(2 * i) + 1] = length;
            used += length;
        }

        var values = new RenderedValues(buffer, bounds[..(2 * _templates.Length)]);
        return Combine(requestValues, values);
    }

    private bool EvaluateWithStrings(RequestContext context, string[] requestValues)
    {
        // The same as above for values too long for the stack buffer; a null entry marks a value with no value.
        var rendered = new string?[_templates.Length];
        for (var i = 0; i < _templates.Length; i++)
        {
            rendered[i] = _templates[i].HasVariables ? _templates[i].RenderToString(context) : _templates[i].StaticText;
        }

        var all = string.Concat(rendered);
        Span<int> bounds = new int[rendered.Length * 2];
        var at = 0;
        for (var i = 0; i < rendered.Length; i++)
        {
            bounds[2 * i] = at;
            bounds[(2 * i) + 1] = rendered[i]?.Length ?? RenderedValues.NoValue;
            at += rendered[i]?.Length ?? 0;
        }

        return Combine(requestValues, new RenderedValues(all, bounds));
    }

    private bool Combine(string[] requestValues, RenderedValues rendered)
    {
        switch (Operator.Qualifier)
        {
            case SetQualifier.ForAllValues:
                foreach (var v in requestValues)
                {
                    if (MatchesAny(v, rendered) == Operator.Negated)
                    {
                        return false;
                    }
                }

                return true;
            case SetQualifier.ForAnyValue:
                foreach (var v in requestValues)
                {
                    if (MatchesAny(v, rendered) != Operator.Negated)
                    {
                        return true;
                    }
                }

                return false;
            default:
                var any = false;
                foreach (var v in requestValues)
                {
                    if (MatchesAny(v, rendered))
                    {
                        any = true;
                        break;
                    }
                }

                return any != Operator.Negated;
        }
    }

    private bool MatchesAny(string requestValue, RenderedValues rendered)
    {
        switch (Operator.Test)
        {
            case ConditionTest.StringEquals or ConditionTest.StringEqualsIgnoreCase or ConditionTest.StringLike
                or ConditionTest.ArnLike or ConditionTest.BinaryEquals:
                for (var i = 0; i < _templates.Length; i++)
                {
                    if (!rendered.IsEmpty && rendered.HasNoValue(i))
                    {
                        continue;
                    }

                    var pattern = rendered.IsEmpty ? _templates[i].StaticText.AsSpan() : rendered[i];
                    if (MatchText(requestValue, pattern))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionTest.Bool:
                if (!ConditionValues.TryParseBool(requestValue, out var b))
                {
                    return false;
                }

                foreach (var p in _bools)
                {
                    if (p == b)
                    {
                        return true;
                    }
                }

                return false;
            case ConditionTest.IpAddress:
                if (!IpNetwork.TryParseAddress(requestValue, out var address, out var isV6))
                {
                    return false;
                }

                foreach (var net in _networks)
                {
                    if (net.Contains(address, isV6))
                    {
                        return true;
                    }
                }

                return false;
            case ConditionTest.DateEquals or ConditionTest.DateLessThan or ConditionTest.DateLessThanEquals
                or ConditionTest.DateGreaterThan or ConditionTest.DateGreaterThanEquals:
                if (!ConditionValues.TryParseDate(requestValue, out var ticks))
                {
                    return false;
                }

                foreach (var p in _dates)
                {
                    if (ConditionValues.CompareDates(Operator.Test, ticks, p))
                    {
                        return true;
                    }
                }

                return false;
            default:
                if (!ConditionValues.TryParseNumber(requestValue, out var number))
                {
                    return false;
                }

                foreach (var p in _numbers)
                {
                    if (ConditionValues.CompareNumbers(Operator.Test, number, p))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    private bool MatchText(string requestValue, ReadOnlySpan<char> pattern) => Operator.Test switch
    {
        ConditionTest.StringEquals or ConditionTest.BinaryEquals => pattern.SequenceEqual(requestValue),
        ConditionTest.StringEqualsIgnoreCase => pattern.Equals(requestValue, StringComparison.OrdinalIgnoreCase),
        ConditionTest.StringLike => Wildcard.IsMatch(pattern, requestValue, ignoreCase: false),
        _ => Wildcard.IsArnMatch(pattern, requestValue),
    };
}
