using System.Globalization;

namespace Cloudkeep.LoadGenerator.S3;

/// <summary>Command-line options of the S3 mode; every size and bound is a parameter.</summary>
internal sealed record S3Options(
    IReadOnlyList<S3Target> Targets,
    IReadOnlySet<string> Scenarios,
    int[] Clients,
    TimeSpan ServerWarmUp,
    TimeSpan WarmUp,
    TimeSpan Duration,
    long MaxRequests,
    int SmallSize,
    long LargeSize,
    int ListKeys,
    int ListClients,
    int ListPasses,
    TimeSpan CreateTimeout,
    TimeSpan ListTimeout,
    int Versions = 5)
{
    /// <summary>"versions" and "lifecycle" are not run by default: they write many objects first, and "lifecycle" needs a short --lifecycle-interval.</summary>
    public static readonly string[] AllScenarios = ["small", "large", "list", "versions", "lifecycle"];

    public static readonly string[] DefaultScenarios = ["small", "large", "list"];

    public static S3Options Parse(string[] args)
    {
        var targets = new List<S3Target>();
        HashSet<string> scenarios = [.. DefaultScenarios];
        int[] clients = [1, 16];
        double serverWarmUp = 3, warmUp = 2, duration = 5, createTimeout = 300, listTimeout = 60;
        long maxRequests = 1_000_000, largeSize = 1L << 30;
        int smallSize = 4096, listKeys = 100_000, listClients = 16, listPasses = 2, versions = 5;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--target": targets.Add(S3Target.Parse(Next())); break;
                case "--scenarios": scenarios = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                case "--clients": clients = [.. Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))]; break;
                case "--server-warmup": serverWarmUp = NextDouble(); break;
                case "--warmup": warmUp = NextDouble(); break;
                case "--duration": duration = NextDouble(); break;
                case "--max-requests": maxRequests = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--small-size": smallSize = NextInt(); break;
                case "--large-size": largeSize = ParseSize(Next()); break;
                case "--list-keys": listKeys = NextInt(); break;
                case "--list-clients": listClients = NextInt(); break;
                case "--list-passes": listPasses = NextInt(); break;
                case "--create-timeout": createTimeout = NextDouble(); break;
                case "--list-timeout": listTimeout = NextDouble(); break;
                case "--versions": versions = NextInt(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (targets.Count == 0 || targets.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw new ArgumentException("give at least one --target, each with its own name");
        }

        if (scenarios.Count == 0 || scenarios.Except(AllScenarios).Any())
        {
            throw new ArgumentException($"--scenarios is a comma list of {string.Join(',', AllScenarios)}");
        }

        if (clients.Length == 0 || clients.Any(c => c is < 1 or > 1024) || duration is <= 0 or > 300 || warmUp is < 0 or > 60
            || serverWarmUp is < 0 or > 60 || maxRequests < 1)
        {
            throw new ArgumentException("--clients 1..1024, --duration 0..300 s, --warmup and --server-warmup 0..60 s, --max-requests >= 1");
        }

        if (smallSize is < 0 or > 64 << 20 || largeSize is < 1 or > 5L << 30 || listKeys is < 1 or > 10_000_000 || listClients is < 1 or > 1024
            || listPasses is < 1 or > 100 || createTimeout is <= 0 or > 3600 || listTimeout is <= 0 or > 3600)
        {
            throw new ArgumentException("--small-size 0..64M, --large-size 1..5G, --list-keys 1..10M, --list-clients 1..1024, --list-passes 1..100, timeouts 0..3600 s");
        }

        return new S3Options(targets, scenarios, clients, TimeSpan.FromSeconds(serverWarmUp), TimeSpan.FromSeconds(warmUp), TimeSpan.FromSeconds(duration),
            maxRequests, smallSize, largeSize, listKeys, listClients, listPasses, TimeSpan.FromSeconds(createTimeout), TimeSpan.FromSeconds(listTimeout), versions);
    }

    /// <summary>A byte count with an optional binary suffix: 4096, 64K, 512M, 1G.</summary>
    public static long ParseSize(string text)
    {
        var multiplier = char.ToUpperInvariant(text.Length > 0 ? text[^1] : ' ') switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue / multiplier
            ? value * multiplier
            : throw new ArgumentException($"not a size: '{text}'");
    }
}
