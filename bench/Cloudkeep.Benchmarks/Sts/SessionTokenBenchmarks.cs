using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Core.Identity;
using Cloudkeep.Services.Sts;

namespace Cloudkeep.Benchmarks.Sts;

/// <summary>
/// What authenticating a role session costs beyond a long-term key: the session token is opened
/// (base64, AES-256-GCM, JSON) on every request (docs/performance.md, "STS under load").
/// </summary>
[MemoryDiagnoser]
public class SessionTokenBenchmarks
{
    private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(SecretBox.KeySize);
    private SecretBox _box = null!;
    private SessionToken _session = null!;
    private string _token = "";
    private byte[] _sealed = [];
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        _box = new SecretBox(_masterKey);
        var now = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);
        _session = new SessionToken(
            "ASIA2A6X3ETKSE4WMYTV", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", PrincipalKind.AssumedRole, "218174061117",
            "arn:aws:sts::218174061117:assumed-role/loadgen-target/loadgen", "AROAEXAMPLEEXAMPLE000:loadgen",
            now, now.AddHours(1), false, null, null, "arn:aws:iam::218174061117:role/loadgen-target", null, [], new Dictionary<string, string>(), [], false);
        _token = _session.Seal(_box);
        _sealed = Convert.FromBase64String(_token);
        _json = _box.Open(_sealed, SessionToken.Purpose);
    }

    [Benchmark(Baseline = true)]
    public SessionToken? TryOpen_WholeToken() => SessionToken.TryOpen(_box, _token);

    [Benchmark]
    public byte[] Base64Decode() => Convert.FromBase64String(_token);

    [Benchmark]
    public byte[] SecretBoxOpen_AesGcm() => _box.Open(_sealed, SessionToken.Purpose);

    [Benchmark]
    public SessionToken? JsonDeserialize() => System.Text.Json.JsonSerializer.Deserialize<SessionToken>(_json);

    [Benchmark]
    public Caller ToCaller() => _session.ToCaller();

    [Benchmark]
    public string Seal_AsAssumeRoleDoes() => _session.Seal(_box);
}
