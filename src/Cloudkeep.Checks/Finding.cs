using System.Text.Json.Serialization;

namespace Cloudkeep.Checks;

/// <summary>How bad a finding is; the order is the order of --fail-on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>One thing a check found: which check (Id), in which account, on which resource, why it matters and how to fix it.</summary>
public sealed record Finding(string Id, Severity Severity, string Account, string Resource, string Why, string Fix);
