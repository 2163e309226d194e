using System.Collections.Immutable;
using System.Text;
using Cloudkeep.Protocol.Model;
using CsCheck;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>A value to send for one member, before any protocol has written it.</summary>
public abstract record HostileValue;

/// <summary>Text; <paramref name="Raw"/>, when set, is sent byte for byte instead (invalid UTF-8).</summary>
public sealed record HostileText(string Text, byte[]? Raw = null) : HostileValue
{
    public override string ToString() => Raw is null ? Describe(Text) : "raw:" + Convert.ToHexString(Raw);

    private static string Describe(string text) =>
        text.Length > 40 ? $"{Escape(text[..20])}...({text.Length} chars)" : Escape(text);

    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}

/// <summary>A number as written (JSON numbers unquoted; everywhere else text); may be out of range or not an integer.</summary>
public sealed record HostileNumber(string Text) : HostileValue
{
    public override string ToString() => Text;
}

public sealed record HostileBoolean(string Text) : HostileValue
{
    public override string ToString() => Text;
}

public sealed record HostileList(ImmutableList<HostileValue> Items) : HostileValue
{
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}

public sealed record HostileMap(ImmutableList<(string Key, HostileValue Value)> Entries) : HostileValue
{
    public override string ToString() => "{" + string.Join(", ", Entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}

/// <summary>Members in the order they are written; a member may come twice (a duplicated JSON member, a repeated query parameter).</summary>
public sealed record HostileStructure(ImmutableList<(MemberRef Member, HostileValue Value)> Members) : HostileValue
{
    public override string ToString() => "{" + string.Join(", ", Members.Select(m => $"{m.Member.Name}: {m.Value}")) + "}";
}

/// <summary>Nesting far deeper than any shape: [[[...]]] in JSON, nested elements in XML.</summary>
public sealed record HostileDeep(int Depth) : HostileValue;

/// <summary>
/// CsCheck generators of hostile values for a model shape: lone surrogates, NUL and other control
/// characters, U+FFFE/U+FFFF, invalid UTF-8 bytes, 64 KiB strings, negative, huge and fractional
/// numbers, wrong types, deep nesting and duplicated members, mixed with plausible values so that
/// requests also get past validation into the handlers.
/// </summary>
public sealed class HostileValues(IReadOnlyList<string> plausibleNames, IReadOnlyDictionary<string, string>? fixtures = null)
{
    private const int MaxDepth = 5;

    /// <summary>Names of the fixtures the test makes, by the member that names them, so plausible requests find something.</summary>
    private static readonly Dictionary<string, string> DefaultFixtures = new(StringComparer.Ordinal)
    {
        ["Bucket"] = "fuzz-bucket",
        ["Key"] = "fuzz-key",
        ["UserName"] = "fuzz-user",
        ["RoleName"] = "fuzz-role",
        ["GroupName"] = "fuzz-group",
        ["KeyId"] = "alias/fuzz",
        ["TargetKeyId"] = "alias/fuzz",
        ["DestinationKeyId"] = "alias/fuzz",
        ["PolicyArn"] = "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ["RoleArn"] = "arn:aws:iam::111122223333:role/fuzz-role",
        ["RoleSessionName"] = "fuzz-session",
        ["CopySource"] = "fuzz-bucket/fuzz-key",
        ["VersionId"] = "v1",
    };

    private readonly Dictionary<string, string> _fixtures = Merge(fixtures);

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? overrides)
    {
        var merged = new Dictionary<string, string>(DefaultFixtures, StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>Generators by shape instance (services share shape names such as "Tag"), depth, mode and member.</summary>
    private readonly Dictionary<(Shape Shape, int Depth, bool Plausible, string? Hint), Gen<HostileValue>> _cache = [];

    public static readonly Gen<HostileValue> HostileTextGen = Gen.OneOf<HostileValue>(
        Gen.Const<HostileValue>(new HostileText("")),
        Gen.Const<HostileValue>(new HostileText("a\0b")),
        Gen.Const<HostileValue>(new HostileText("\u0001")),
        Gen.Const<HostileValue>(new HostileText("key\u0001")),
        Gen.Const<HostileValue>(new HostileText("x\u007fy")),
        Gen.Const<HostileValue>(new HostileText("\uffff")),
        Gen.Const<HostileValue>(new HostileText("a\ufffeb")),
        Gen.Const<HostileValue>(new HostileText("\ud800")),
        Gen.Const<HostileValue>(new HostileText("x\udc00y")),
        Gen.Const<HostileValue>(new HostileText("\r\n\t")),
        Gen.Const<HostileValue>(new HostileText("<&>\"'")),
        Gen.Const<HostileValue>(new HostileText("caf\u00e9 \u65e5\u672c \U0001F600")),
        Gen.Const<HostileValue>(new HostileText(new string('a', 64 * 1024))),
        Gen.Const<HostileValue>(new HostileText("ff", [0xff])),
        Gen.Const<HostileValue>(new HostileText("surrogate as utf-8", [0x61, 0xed, 0xa0, 0x80, 0x62])),
        Gen.Const<HostileValue>(new HostileText("overlong NUL", [0xc0, 0x80])),
        Gen.Const<HostileValue>(new HostileText("../../etc/passwd")),
        Gen.Const<HostileValue>(new HostileText("%00%zz")),
        Gen.Const<HostileValue>(new HostileText("${aws:username}")),
        Gen.Const<HostileValue>(new HostileText("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"\\ud800\",\"Resource\":\"*\"}]}")),
        Gen.Const<HostileValue>(new HostileText("{")),
        Gen.Const<HostileValue>(new HostileText("null")),
        Gen.Const<HostileValue>(new HostileText(new string('[', 100) + new string(']', 100))),
        Gen.String[Gen.Char[(char)0, (char)0xffff], 0, 12].Select(s => (HostileValue)new HostileText(s)));

    private static readonly Gen<HostileValue> NumberGen = Gen.OneOf<HostileValue>(
        new HostileNumber("-1"), new HostileNumber("0"), new HostileNumber("1"), new HostileNumber("7"),
        new HostileNumber("2147483648"), new HostileNumber("-2147483649"), new HostileNumber("9223372036854775808"),
        new HostileNumber("1e30"), new HostileNumber("1.5"), new HostileNumber("-0"), new HostileText("abc"), new HostileText(""));

    private static readonly Gen<HostileValue> BooleanGen = Gen.OneOf<HostileValue>(
        new HostileBoolean("true"), new HostileBoolean("false"), new HostileText("yes"), new HostileNumber("1"));

    private static readonly Gen<HostileValue> TimestampGen = Gen.OneOf<HostileValue>(
        new HostileText("2026-01-01T00:00:00Z"), new HostileText("Thu, 01 Jan 2026 00:00:00 GMT"), new HostileNumber("-1"),
        new HostileNumber("99999999999999999"), new HostileText("garbage"), new HostileText("\u0001"));

    private static readonly Gen<HostileValue> BlobGen = Gen.OneOf<HostileValue>(
        new HostileText("Zm9v"), new HostileText("!!!not base64"), new HostileText(""), new HostileText(Convert.ToBase64String(new byte[48 * 1024])));

    public Gen<HostileValue> ForInput(Shape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var hostile = For(input, 0, plausible: false);
        if (input.Members.Count == 0)
        {
            return hostile;
        }

        // Plausible members with one hostile among them reach further into the handlers than a
        // request that fails validation on its first member.
        var plausible = For(input, 0, plausible: true);
        var oneHostile = Gen.Select(plausible, Gen.Int[0, input.Members.Count - 1]).SelectMany((s, i) =>
            For(input.Members[i].Shape, 1, plausible: false, input.Members[i].Name).Select(v => (HostileValue)new HostileStructure(
                [.. ((HostileStructure)s).Members.Where(m => m.Member.Name != input.Members[i].Name), (input.Members[i], v)])));

        // Top-level mutations: a member given twice, or one member nested far too deep.
        var deep = Gen.Const<HostileValue>(new HostileDeep(100));
        return Gen.Frequency(
            (4, hostile),
            (4, oneHostile),
            (1, Gen.Select(plausible, Gen.Int[0, input.Members.Count - 1], HostileTextGen).Select((s, i, v) =>
                (HostileValue)new HostileStructure(((HostileStructure)s).Members.Add((input.Members[i], v)).Add((input.Members[i], v))))),
            (1, Gen.Select(plausible, Gen.Int[0, input.Members.Count - 1], deep).Select((s, i, v) =>
                (HostileValue)new HostileStructure(((HostileStructure)s).Members.Add((input.Members[i], v))))));
    }

    /// <summary>Only plausible values, each fitting its member's length, enum and pattern, so the request passes the model's validation.</summary>
    public Gen<HostileValue> PlausibleInput(Shape input) => For(input, 0, plausible: true);

    private Gen<HostileValue> For(Shape shape, int depth, bool plausible, string? hint = null)
    {
        hint = shape.Type is ShapeType.String or ShapeType.Blob && hint is not null && _fixtures.ContainsKey(hint) ? hint : null;
        if (_cache.TryGetValue((shape, depth, plausible, hint), out var cached))
        {
            return cached;
        }

        var gen = shape.Type switch
        {
            ShapeType.String => plausible ? PlausibleText(shape, hint) : Text(shape, hint),
            ShapeType.Integer or ShapeType.Long or ShapeType.Float or ShapeType.Double => plausible ? Gen.Const<HostileValue>(new HostileNumber(PlausibleNumber(shape))) : NumberGen,
            ShapeType.Boolean => plausible ? Gen.Const<HostileValue>(new HostileBoolean("true")) : BooleanGen,
            ShapeType.Timestamp => plausible ? Gen.Const<HostileValue>(new HostileText("2026-01-01T00:00:00Z")) : TimestampGen,
            ShapeType.Blob => plausible ? Gen.Const<HostileValue>(new HostileText(hint is null ? "Zm9v" : _fixtures[hint])) : BlobGen,
            ShapeType.List when depth < MaxDepth => For(shape.ListMember!.Shape, depth + 1, plausible).List[plausible ? 1 : 0, 3]
                .Select(items => (HostileValue)new HostileList([.. items])),
            ShapeType.Map when depth < MaxDepth => Gen.Select(plausible ? PlausibleText(shape.MapKey!.Shape) : Text(shape.MapKey!.Shape), For(shape.MapValue!.Shape, depth + 1, plausible)).List[0, 2]
                .Select(entries => (HostileValue)new HostileMap([.. entries.Select(e => (e.Item1 is HostileText t ? t.Text : "k", e.Item2))])),
            ShapeType.Structure when depth < MaxDepth => Structure(shape, depth, plausible),
            _ => Gen.Const<HostileValue>(new HostileStructure([])),
        };
        _cache[(shape, depth, plausible, hint)] = gen;
        return gen;
    }

    private Gen<HostileValue> PlausibleText(Shape shape, string? hint = null)
    {
        var candidates = shape.Enum is { Count: > 0 } values ? values : plausibleNames.Where(v => Fits(shape, v)).ToList();
        var any = Gen.OneOf((candidates.Count > 0 ? candidates : plausibleNames).ToArray()).Select(v => (HostileValue)new HostileText(v));
        return hint is null || !Fits(shape, _fixtures[hint]) ? any : Gen.Frequency((3, Gen.Const<HostileValue>(new HostileText(_fixtures[hint]))), (1, any));
    }

    /// <summary>A number within the shape's range: 1, or its minimum, or its maximum.</summary>
    private static string PlausibleNumber(Shape shape)
    {
        var value = Math.Max(1, shape.Min ?? 1);
        value = Math.Min(value, shape.Max ?? value);
        return ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a text satisfies the shape's length bounds and (Java, implicitly anchored) pattern.</summary>
    private static bool Fits(Shape shape, string value)
    {
        if ((shape.Min is { } min && value.Length < min) || (shape.Max is { } max && value.Length > max))
        {
            return false;
        }

        if (shape.Pattern is not { } pattern)
        {
            return true;
        }

        try
        {
            var dotNet = Cloudkeep.Protocol.Serialization.JavaPattern.ToDotNet(pattern);
            return System.Text.RegularExpressions.Regex.IsMatch(value, dotNet.StartsWith('^') ? dotNet : "^(?:" + dotNet + ")$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private Gen<HostileValue> Text(Shape shape, string? hint = null)
    {
        var plausible = shape.Enum is { Count: > 0 } values ? values : plausibleNames;
        return Gen.Frequency(
            (5, PlausibleText(shape, hint)),
            (4, HostileTextGen),
            (1, Gen.Select(Gen.OneOf(plausible.ToArray()), HostileTextGen).Select((v, h) =>
                (HostileValue)new HostileText(v + (h is HostileText t ? t.Text : ""), null))));
    }

    private Gen<HostileValue> Structure(Shape shape, int depth, bool plausible)
    {
        var start = Gen.Const(ImmutableList<(MemberRef, HostileValue)>.Empty);
        var members = shape.Members.Aggregate(start, (acc, member) =>
        {
            var presence = shape.Required.Contains(member.Name) ? (plausible ? 10 : 9) : 5;
            var value = For(member.Shape, depth + 1, plausible, member.Name);
            return acc.SelectMany(list => Gen.Int[0, 9].SelectMany(roll => roll < presence
                ? value.Select(v => list.Add((member, v)))
                : Gen.Const(list)));
        });
        return members.Select(list => (HostileValue)new HostileStructure(list));
    }
}
