using System.Globalization;

namespace Cloudkeep.Server.WebConsole;

/// <summary>One stacked series of the cost chart: a group's amount in each period (0 where it had none).</summary>
internal sealed record CostSeries(string Name, IReadOnlyList<decimal> Values);

/// <summary>
/// The Cost Explorer page's stacked bar chart, drawn here as inline SVG: no script and no CDN (the
/// console's CSP allows neither), so it renders with scripts off. Geometry is presentation
/// attributes, never style attributes, which the CSP would block. Every bar segment carries a
/// &lt;title&gt; with its exact amount, the chart names itself for screen readers, the legend is
/// HTML, and the page puts a table of the same numbers under it, so colour is never the only key.
/// Every label (group keys come from users' tags) goes through the HTML encoder.
/// </summary>
internal static class CostChart
{
    private const double Width = 960;
    private const double Height = 320;
    private const double Left = 72;
    private const double Right = 12;
    private const double Top = 12;
    private const double Bottom = 36;
    private const int MaxLabels = 12;

    /// <summary>Colours far enough apart to tell neighbours in a stack from each other.</summary>
    private static readonly string[] Palette = ["#0972d3", "#e07941", "#2ea597", "#8456ce", "#c33d69", "#b2911c", "#688ae8", "#096f64", "#962249", "#7d8998"];

    /// <summary>How many series the chart stacks; the rest are summed as "Others" (the table still lists each).</summary>
    public const int MaxSeries = 10;

    public static string Colour(int index) => Palette[index % Palette.Length];

    /// <summary>Folds the series past the first <see cref="MaxSeries"/> - 1 (largest first) into one "Others" series.</summary>
    public static IReadOnlyList<CostSeries> Fold(IReadOnlyList<CostSeries> largestFirst)
    {
        ArgumentNullException.ThrowIfNull(largestFirst);
        if (largestFirst.Count <= MaxSeries)
        {
            return largestFirst;
        }

        var rest = largestFirst.Skip(MaxSeries - 1).ToList();
        var others = Enumerable.Range(0, rest[0].Values.Count).Select(i => rest.Sum(s => s.Values[i])).ToList();
        return [.. largestFirst.Take(MaxSeries - 1), new CostSeries($"Others ({rest.Count} groups)", others)];
    }

    public static Html Render(string title, IReadOnlyList<string> periods, IReadOnlyList<CostSeries> series, string unit)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(series);
        var totals = periods.Select((_, i) => series.Sum(s => Math.Max(0, s.Values[i]))).ToList();
        var step = NiceStep(totals.Count == 0 ? 0 : totals.Max());
        var top = step * 4;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double Y(decimal amount) => Top + plotHeight - ((double)(amount / top) * plotHeight);

        var svg = new Html().Raw("<figure class=\"chart\" id=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Raw(N(Width)).Raw(" ").Raw(N(Height))
            .Raw("\" role=\"img\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">").Text(title)
            .Raw("</title><desc id=\"chart-desc\">").Text($"Stacked bars, one per period, in {unit}; the table under the chart holds the same numbers.").Raw("</desc>");

        svg.Raw("<g class=\"axis\" font-size=\"11\" fill=\"#5f6b7a\">");
        for (var tick = 0; tick <= 4; tick++)
        {
            var value = step * tick;
            var y = N(Y(value));
            svg.Raw("<line x1=\"").Raw(N(Left)).Raw("\" x2=\"").Raw(N(Width - Right)).Raw("\" y1=\"").Raw(y).Raw("\" y2=\"").Raw(y).Raw("\" stroke=\"#d5dbdb\"/>")
                .Raw("<text x=\"").Raw(N(Left - 6)).Raw("\" y=\"").Raw(y).Raw("\" dy=\"4\" text-anchor=\"end\">").Text(value.ToString("0.######", CultureInfo.InvariantCulture)).Raw("</text>");
        }

        var slot = periods.Count == 0 ? plotWidth : plotWidth / periods.Count;
        var barWidth = Math.Max(1, slot * 0.7);
        var every = Math.Max(1, (int)Math.Ceiling(periods.Count / (double)MaxLabels));
        for (var i = 0; i < periods.Count; i += every)
        {
            svg.Raw("<text x=\"").Raw(N(Left + (slot * i) + (slot / 2))).Raw("\" y=\"").Raw(N(Height - Bottom + 16)).Raw("\" text-anchor=\"middle\">").Text(periods[i]).Raw("</text>");
        }

        svg.Raw("</g><g class=\"bars\">");
        for (var i = 0; i < periods.Count; i++)
        {
            var x = N(Left + (slot * i) + ((slot - barWidth) / 2));
            var below = 0m;
            for (var s = 0; s < series.Count; s++)
            {
                var amount = Math.Max(0, series[s].Values[i]);
                if (amount == 0)
                {
                    continue;
                }

                var y = Y(below + amount);
                svg.Raw("<rect x=\"").Raw(x).Raw("\" y=\"").Raw(N(y)).Raw("\" width=\"").Raw(N(barWidth)).Raw("\" height=\"").Raw(N(Math.Max(0.5, Y(below) - y)))
                    .Raw("\" fill=\"").Raw(Colour(s)).Raw("\"><title>").Text($"{series[s].Name}, {periods[i]}: {Amount(amount)} {unit}").Raw("</title></rect>");
                below += amount;
            }
        }

        svg.Raw("</g></svg><figcaption><ul class=\"legend\" id=\"legend\">");
        for (var s = 0; s < series.Count; s++)
        {
            svg.Raw("<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"").Raw(Colour(s)).Raw("\"/></svg>").Text(series[s].Name).Raw("</li>");
        }

        return svg.Raw("</ul></figcaption></figure>");
    }

    /// <summary>An amount as Cost Explorer writes one: invariant, no exponent, no trailing zeros.</summary>
    public static string Amount(decimal amount) => amount.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>A round step (1, 2 or 5 times a power of ten) so that four steps cover the largest bar.</summary>
    private static decimal NiceStep(decimal max)
    {
        if (max <= 0)
        {
            return 0.25m;
        }

        var raw = (double)max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / power;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return (decimal)(nice * power);
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
