namespace Cloudkeep.Testing;

/// <summary>
/// Real time plus an offset a test can move both ways, to step past an expiry and come back (tests
/// of one class run one at a time, so the shift never leaks into another test's requests).
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
