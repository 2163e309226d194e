using Cloudkeep.Services.CloudWatch;

namespace Cloudkeep.Server.Tests.CloudWatch;

/// <summary>
/// The alarm evaluation rules as a table: the rows of "How alarm state is evaluated when data is
/// missing" (CloudWatch User Guide) for an alarm of 3 evaluation periods and 3 datapoints to alarm,
/// over its 5-period evaluation range, written oldest first: 0 not breaching, X breaching, - missing.
/// "retain" means the state stays as it was.
/// </summary>
public class AlarmEvaluationTests
{
    [Theory]
    [InlineData("0 - X - X", "missing", "OK")]
    [InlineData("0 - X - X", "ignore", "OK")]
    [InlineData("0 - X - X", "breaching", "OK")]
    [InlineData("0 - X - X", "notBreaching", "OK")]
    [InlineData("- - - - 0", "missing", "OK")]
    [InlineData("- - - - 0", "ignore", "OK")]
    [InlineData("- - - - 0", "breaching", "OK")]
    [InlineData("- - - - 0", "notBreaching", "OK")]
    [InlineData("- - - - -", "missing", "INSUFFICIENT_DATA")]
    [InlineData("- - - - -", "ignore", "retain")]
    [InlineData("- - - - -", "breaching", "ALARM")]
    [InlineData("- - - - -", "notBreaching", "OK")]
    [InlineData("0 X X - X", "missing", "ALARM")]
    [InlineData("0 X X - X", "ignore", "ALARM")]
    [InlineData("0 X X - X", "breaching", "ALARM")]
    [InlineData("0 X X - X", "notBreaching", "ALARM")]
    [InlineData("- - X - -", "missing", "ALARM")]
    [InlineData("- - X - -", "ignore", "retain")]
    [InlineData("- - X - -", "breaching", "ALARM")]
    [InlineData("- - X - -", "notBreaching", "OK")]
    public void Evaluate_ThreeOfThree_FollowsTheGuidesTable(string points, string treatMissingData, string expected)
    {
        var outcome = AlarmEvaluation.Evaluate(Alarm(3, 3, treatMissingData), Range(points));
        Assert.Equal(expected, outcome?.State ?? "retain");
    }

    [Theory]
    [InlineData("- - X 0 X", "missing", "ALARM")]
    [InlineData("- - 0 X 0", "missing", "OK")]
    [InlineData("X X 0 0 -", "missing", "OK")]
    [InlineData("X X 0 X -", "ignore", "ALARM")]
    [InlineData("- - - 0 -", "breaching", "ALARM")]
    [InlineData("- - - X -", "notBreaching", "OK")]
    public void Evaluate_TwoOfThree_CountsBreachingPoints(string points, string treatMissingData, string expected)
    {
        var outcome = AlarmEvaluation.Evaluate(Alarm(3, 2, treatMissingData), Range(points));
        Assert.Equal(expected, outcome?.State ?? "retain");
    }

    [Fact]
    public void Evaluate_ThresholdCrossed_ReasonNamesThePointsAndTheThreshold()
    {
        var outcome = AlarmEvaluation.Evaluate(Alarm(2, 2, "missing"), Range("- - - X X"))!;
        Assert.Equal("ALARM", outcome.State);
        Assert.StartsWith("Threshold Crossed: 2 out of the last 2 datapoints [80.0 (", outcome.Reason, StringComparison.Ordinal);
        Assert.EndsWith("were greater than the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition).", outcome.Reason, StringComparison.Ordinal);
    }

    private static AlarmDefinition Alarm(int periods, int datapoints, string treatMissingData) =>
        new("App", "Latency", [], "Maximum", false, 60, null, periods, datapoints, 50, "GreaterThanThreshold", treatMissingData);

    private static List<(long At, double? Value)> Range(string points) =>
        [.. points.Split(' ').Select((p, i) => (1_700_000_000L + (i * 60L), p switch { "X" => 80.0, "0" => 10.0, _ => (double?)null }))];
}
