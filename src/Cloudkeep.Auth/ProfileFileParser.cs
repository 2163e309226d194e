namespace Cloudkeep.Auth;

/// <summary>
/// One shared config or credentials file, parsed by the rules every AWS SDK shares (the cross-SDK
/// profile parser suite, see tests/Cloudkeep.Auth.Tests/Fixtures): sections, `name = value`
/// properties with keys case-insensitive, indented continuation lines, and sub-properties under a
/// property whose value is empty. Invalid section and property names are skipped, not errors,
/// because that is what the SDKs do; malformed lines are errors naming the file and line.
/// </summary>
internal static class ProfileFileParser
{
    internal sealed record Section(string Kind, string Name, Dictionary<string, string> Properties);

    /// <summary>Sections in file order; duplicates are left for <see cref="ProfileSet"/> to merge.</summary>
    public static List<Section> Parse(string text, ProfileFileKind kind, string fileName)
    {
        var sections = new List<Section>();
        Section? current = null;
        var sectionOpen = false;
        string? property = null;
        var propertyKept = false;
        var subProperties = false;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            string Where() => $"{fileName} line {index + 1}";
            if (line.Trim().Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (!sectionOpen)
                {
                    throw new ProfileFileException($"{Where()}: Expected a profile definition, found continuation");
                }

                if (property is null)
                {
                    throw new ProfileFileException($"{Where()}: Expected a property definition, found continuation");
                }

                var continued = line.Trim();
                if (subProperties)
                {
                    var equals = continued.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 0)
                    {
                        throw new ProfileFileException($"{Where()}: Expected an '=' sign defining a sub-property");
                    }

                    if (continued[..equals].Trim().Length == 0)
                    {
                        throw new ProfileFileException($"{Where()}: Sub-property did not have a name");
                    }
                }

                if (current is not null && propertyKept)
                {
                    current.Properties[property] += "\n" + continued;
                }

                continue;
            }

            if (line[0] == '[')
            {
                var close = line.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new ProfileFileException($"{Where()}: Profile definition must end with ']'");
                }

                var rest = line[(close + 1)..].TrimStart();
                if (rest.Length > 0 && rest[0] is not ('#' or ';'))
                {
                    throw new ProfileFileException($"{Where()}: Unexpected text after the profile definition: '{rest}'");
                }

                sectionOpen = true;
                property = null;
                current = SectionFor(line[1..close].Trim(), kind);
                if (current is not null)
                {
                    sections.Add(current);
                }

                continue;
            }

            if (!sectionOpen)
            {
                throw new ProfileFileException($"{Where()}: Expected a profile definition");
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                throw new ProfileFileException($"{Where()}: Expected an '=' sign defining a property");
            }

            var name = line[..separator].Trim();
            if (name.Length == 0)
            {
                throw new ProfileFileException($"{Where()}: Property did not have a name");
            }

            var value = StripComment(line[(separator + 1)..]).Trim();
            property = name.ToLowerInvariant();
            subProperties = value.Length == 0;

            // An invalid name is skipped as the SDKs skip it, and its continuations with it.
            propertyKept = IsValidName(name);
            if (current is not null && propertyKept)
            {
                current.Properties[property] = value;
            }
        }

        return sections;
    }

    /// <summary>The properties of a sub-property block (`s3 =` followed by indented `name = value` lines).</summary>
    public static Dictionary<string, string> SubProperties(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in value.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[line[..equals].Trim().ToLowerInvariant()] = line[(equals + 1)..].Trim();
            }
        }

        return result;
    }

    /// <summary>Profile and property names the SDKs accept; anything else is ignored.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '.' or '%' or '@' or '_' or ':' or '+');

    private static Section? SectionFor(string header, ProfileFileKind kind)
    {
        if (kind == ProfileFileKind.Credentials)
        {
            return IsValidName(header) ? new Section("profile", header, NewProperties()) : null;
        }

        if (header == "default")
        {
            // Kept apart: `[profile default]` wins over `[default]` wherever each appears.
            return new Section("default", header, NewProperties());
        }

        foreach (var prefix in new[] { "profile", "sso-session", "services" })
        {
            if (header.Length > prefix.Length && header.StartsWith(prefix, StringComparison.Ordinal) && header[prefix.Length] is ' ' or '\t')
            {
                var name = header[prefix.Length..].Trim();
                return IsValidName(name) ? new Section(prefix, name, NewProperties()) : null;
            }
        }

        return null;
    }

    /// <summary>A value's comment starts at a '#' or ';' that follows whitespace; one glued to the value is part of it.</summary>
    private static string StripComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] is '#' or ';' && value[i - 1] is ' ' or '\t')
            {
                return value[..i];
            }
        }

        return value;
    }

    private static Dictionary<string, string> NewProperties() => new(StringComparer.OrdinalIgnoreCase);
}
