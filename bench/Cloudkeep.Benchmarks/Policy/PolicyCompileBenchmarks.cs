using BenchmarkDotNet.Attributes;
using Cloudkeep.Policy;

namespace Cloudkeep.Benchmarks.Policy;

/// <summary>Cost of validating and compiling one policy document (paid once per policy version, then cached).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class PolicyCompileBenchmarks
{
    private const string Document = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/home/${aws:username}/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}},
          {"Sid":"List","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},
          {"Sid":"DenyDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}
        """;

    [Benchmark]
    public CompiledPolicy? Parse() => PolicyDocument.Parse(Document, PolicyKind.ManagedIdentity, "p").Policy;
}
