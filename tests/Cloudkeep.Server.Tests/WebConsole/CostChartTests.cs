using System.Text.RegularExpressions;
using Cloudkeep.Server.WebConsole;

namespace Cloudkeep.Server.Tests.WebConsole;

/// <summary>The Cost Explorer page's SVG chart, without a server: labels encoded, bars to scale, the long tail folded.</summary>
public sealed partial class CostChartTests
{
    [Fact]
    public void Render_MarkupInAGroupName_IsEncodedInTitleLegendAndNowhereRaw()
    {
        var svg = CostChart.Render("by tag <b>", ["2026-12-01"], [new CostSeries("team$<script>alert(1)</script>", [1.5m])], "USD").ToString();

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.Contains("<title>team$&lt;script&gt;alert(1)&lt;/script&gt;, 2026-12-01: 1.5 USD</title>", svg, StringComparison.Ordinal);
        Assert.Contains("<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\">", svg, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-labelledby=\"chart-title chart-desc\"", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StackedSegments_HeightsProportionalToAmounts()
    {
        var svg = CostChart.Render("t", ["a", "b"], [new CostSeries("x", [3m, 1m]), new CostSeries("y", [1m, 0m])], "USD").ToString();

        var heights = Height().Matches(svg).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, heights.Count); // y's zero in b is not drawn
        Assert.Equal(3 * heights[1], heights[0], 1);
        Assert.Equal(heights[1], heights[2], 1);
    }

    [Fact]
    public void Fold_MoreThanTenSeries_TheRestSummedAsOthers()
    {
        var series = Enumerable.Range(0, 12).Select(i => new CostSeries($"s{i}", [12 - i, 1m])).ToList();

        var folded = CostChart.Fold(series);

        Assert.Equal(CostChart.MaxSeries, folded.Count);
        Assert.Equal("Others (3 groups)", folded[^1].Name);
        Assert.Equal([3m + 2m + 1m, 3m], folded[^1].Values);
    }

    [GeneratedRegex("<rect x=\"[^\"]+\" y=\"[^\"]+\" width=\"[^\"]+\" height=\"([^\"]+)\"")]
    private static partial Regex Height();
}
