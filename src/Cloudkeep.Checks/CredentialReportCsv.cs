using System.Globalization;

namespace Cloudkeep.Checks;

/// <summary>
/// The IAM credential report's CSV (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html),
/// read by column name. Dates are ISO 8601; "N/A", "no_information" and "not_supported" mean none.
/// </summary>
public static class CredentialReportCsv
{
    public static IReadOnlyList<CredentialRow> Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return [];
        }

        var columns = lines[0].Split(',').Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        var rows = new List<CredentialRow>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            string? Cell(string name) => columns.TryGetValue(name, out var i) && i < cells.Length ? cells[i] : null;
            var keys = new List<AccessKeyFact>();
            for (var slot = 1; slot <= 2; slot++)
            {
                var active = Cell($"access_key_{slot}_active") == "true";
                var rotated = Date(Cell($"access_key_{slot}_last_rotated"));
                if (active || rotated is not null)
                {
                    keys.Add(new AccessKeyFact(slot, active, rotated, Date(Cell($"access_key_{slot}_last_used_date"))));
                }
            }

            rows.Add(new CredentialRow(Cell("user") ?? "", Cell("arn") ?? "", Cell("password_enabled") == "true", Date(Cell("password_last_used")), Cell("mfa_active") == "true", keys));
        }

        return rows;
    }

    private static DateTimeOffset? Date(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
