using BenchmarkDotNet.Attributes;
using Cloudkeep.Policy;
using Cloudkeep.Policy.Reference;

namespace Cloudkeep.Benchmarks.Policy;

/// <summary>
/// One typical authorization decision (10 policies, 50 statements), compiled engine against the reference
/// interpreter that re-reads the same documents. Budget: compiled median under 2 µs, few allocations.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PolicyEvaluationBenchmarks
{
    private EvaluationRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = TypicalDecision.Create();
        if (!PolicyEvaluator.Evaluate(_request).IsAllowed || !InterpretedEvaluator.Evaluate(_request).IsAllowed)
        {
            throw new InvalidOperationException("the typical decision must be an Allow");
        }
    }

    [Benchmark(Baseline = true)]
    public AuthorizationDecision Interpreted() => InterpretedEvaluator.Evaluate(_request);

    [Benchmark]
    public AuthorizationDecision Compiled() => PolicyEvaluator.Evaluate(_request);
}
