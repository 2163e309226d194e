using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. `--filter '*SigV4*'`; see docs/performance.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
