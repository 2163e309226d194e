using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml;
using Cloudkeep.Core.Operations;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Testing;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Cloudkeep.Server.Tests.Hostile;

/// <summary>
/// Every operation in the registry, fed hostile input generated from its botocore input shape and
/// sent signed through the real server: each answer is below 500 with a well-formed AWS error body
/// of the protocol, the unexpected-exception counter does not move, and a refused request leaves
/// the estate (database rows and blob files) as it was. A new operation is covered the day it is
/// registered. CLOUDKEEP_HOSTILE_ITERATIONS sets the requests per operation (default 24); a
/// failure names the operation and CsCheck's seed, which CsCheck_Seed replays.
/// </summary>
public sealed class ModelDrivenHostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Values that fit most members' patterns: the fixtures' names, ids in each service's format, a policy.</summary>
    public static readonly string[] Plausible =
    [
        "fuzz-bucket", "fuzz-key", "fuzz-user", "fuzz-role", "fuzz-group", "fuzz/deep/key.txt", "alias/fuzz", "AES256", "1", "true",
        "arn:aws:iam::111122223333:user/fuzz-user", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:s3:::fuzz-bucket/fuzz-key",
        "arn:aws:iam::111122223333:mfa/fuzz", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
        "/", "eu-west-1", "Zm9v", "111122223333", "ou-abcd-abcdefgh", "r-abcd", "p-abcdefgh", "car-abcdefgh", "fuzz@example.com",
        "AKIAFUZZFUZZFUZZFUZZ", "123456", "fuzz-session",
    ];

    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);
    private FuzzEstate _estate = null!;

    public async Task InitializeAsync() => _estate = await FuzzEstate.StartAsync();

    public async Task DisposeAsync() => await _estate.DisposeAsync();

    [Theory]
    [InlineData("iam")]
    [InlineData("sts")]
    [InlineData("organizations")]
    [InlineData("kms")]
    [InlineData("s3")]
    [InlineData("route53")]
    [InlineData("monitoring")]
    [InlineData("ce")]
    public async Task EveryOperation_HostileInput_AnswersAwsErrorAndLeavesNothing(string service)
    {
        var provider = _estate.Server.Server.Services;
        var model = provider.GetRequiredService<ModelCatalog>().All.Single(m => m.SigningName == service);
        var operations = provider.GetRequiredService<OperationRegistry>().All
            .Where(h => h.Service == service).Select(h => model.Operations[h.Operation]).OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(operations);
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("CLOUDKEEP_HOSTILE_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 24;
        var values = new HostileValues(Plausible, _estate.Fixtures);
        var empty = model.Shapes.Values.FirstOrDefault(s => s.Type == ShapeType.Structure && s.Members.Count == 0);
        foreach (var operation in operations)
        {
            var input = operation.Input ?? empty;
            var gen = input is null ? Gen.Const<HostileValue>(new HostileStructure([])) : values.ForInput(input);
            try
            {
                await gen.SampleAsync(
                    value => SendAsync(model, operation, (HostileStructure)value),
                    iter: iterations,
                    threads: 1,
                    print: v => v.ToString());
            }
            catch (Exception e)
            {
                throw new XunitException($"{service}:{operation.Name}: {e.Message}\n{e.InnerException?.Message}");
            }

            // What a request that got through removed (the bucket, the alias), the next operation finds again.
            await _estate.RestoreAsync();
        }

        Assert.Equal(0, await UnexpectedExceptionsAsync());
        output.WriteLine($"{operations.Count} operations, {_answers.Values.Sum()} requests: " + string.Join(", ", _answers.OrderByDescending(a => a.Value).Select(a => $"{a.Key} {a.Value}")));
    }

    private async Task SendAsync(ServiceModel model, OperationModel operation, HostileStructure input)
    {
        var raw = HostileRequests.Build(model, operation, input);
        var region = model.SigningName is "iam" or "organizations" or "route53" ? "us-east-1" : "eu-west-1";
        var before = EstateSnapshot.Take(_estate.Server.DataDirectory);
        var unexpected = await UnexpectedExceptionsAsync();
        using var message = raw.ToSignedMessage(new Uri(_estate.Server.Endpoint), model.SigningName, region, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, DateTimeOffset.UtcNow);
        using var response = await _estate.Http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(body);
        var status = (int)response.StatusCode;
        var code = status < 300 ? "" : ErrorCode(model.Protocol, body) ?? "";
        _answers[$"{status}{(code.Length > 0 ? " " + code : "")}"] = _answers.GetValueOrDefault($"{status}{(code.Length > 0 ? " " + code : "")}") + 1;

        if (code == "SignatureDoesNotMatch" && Environment.GetEnvironmentVariable("HOSTILE_DEBUG") is not null)
        {
            output.WriteLine($"SIG {operation.Name}: {raw.Method} {raw.EncodedPath}?{Shorten(raw.EncodedQuery)} headers: {string.Join(" | ", raw.Headers.Select(h => h.Name + "=" + Convert.ToHexString(h.Value.Take(20).ToArray())))}");
        }

        // 501 NotImplemented is the documented answer for what Cloudkeep does not serve (README).
        Assert.True(status < 500 || (status == 501 && (code == "NotImplemented" || raw.Method == "HEAD")), $"{status} for {raw.Method} {raw.EncodedPath}?{Shorten(raw.EncodedQuery)}: {Shorten(text)}");
        Assert.True(await UnexpectedExceptionsAsync() == unexpected, $"the unexpected-exception counter moved ({status}: {Shorten(text)})");
        if (status < 300 || response.StatusCode == HttpStatusCode.NotModified)
        {
            return;
        }

        // Kestrel refuses a NUL in the request target itself, before any of our code runs, with a
        // bare 400 (BadInputTests covers it); nothing reaches the stores.
        var kestrelRefusal = status == 400 && body.Length == 0 && !response.Headers.Contains("x-amz-request-id") && raw.EncodedPath.Contains("%00", StringComparison.Ordinal);
        if (raw.Method != "HEAD" && !kestrelRefusal)
        {
            Assert.True(code.Length > 0, $"{status} without a well-formed {model.Protocol} error body: {Shorten(text)}; request id {response.Headers.Contains("x-amz-request-id")}; {raw.Method} {raw.EncodedPath}?{Shorten(raw.EncodedQuery)} headers: {string.Join(" | ", raw.Headers.Select(h => h.Name + "=" + Convert.ToHexString(h.Value.Take(20).ToArray())))}");
        }

        var after = EstateSnapshot.Take(_estate.Server.DataDirectory);
        Assert.True(before == after, $"refused with {status} ({Shorten(text)}) but left behind:\n{EstateSnapshot.Difference(before, after)}");
    }

    /// <summary>The error code of a protocol's error document, or null when the body is not one.</summary>
    public static string? ErrorCode(ServiceProtocol protocol, byte[] body)
    {
        try
        {
            if (protocol == ServiceProtocol.Json)
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.GetProperty("__type").GetString();
            }

            if (protocol == ServiceProtocol.RpcV2Cbor)
            {
                return CborError(body, "__type");
            }

            // Character references to C0 controls are how S3 writes such keys; a reader must allow them.
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { CheckCharacters = false, DtdProcessing = DtdProcessing.Prohibit });
            var document = System.Xml.Linq.XDocument.Load(reader);
            var root = document.Root!;
            // Route 53 speaks rest-xml but answers errors in the query services' ErrorResponse.
            var error = root.Name.LocalName == "ErrorResponse" ? root.Elements().Single(e => e.Name.LocalName == "Error")
                : protocol == ServiceProtocol.RestXml && root.Name.LocalName == "Error" ? root : null;
            return error?.Elements().SingleOrDefault(e => e.Name.LocalName == "Code")?.Value;
        }
        catch (Exception e) when (e is JsonException or XmlException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A member of a CBOR error map ("__type", "message"), or null when the body is not one.</summary>
    public static string? CborError(byte[] body, string member)
    {
        try
        {
            var reader = new System.Formats.Cbor.CborReader(body);
            var count = reader.ReadStartMap();
            for (var i = 0; count is null || i < count; i++)
            {
                if (reader.PeekState() == System.Formats.Cbor.CborReaderState.EndMap)
                {
                    break;
                }

                var name = reader.ReadTextString();
                if (name == member && reader.PeekState() == System.Formats.Cbor.CborReaderState.TextString)
                {
                    return reader.ReadTextString();
                }

                reader.SkipValue();
            }

            return null;
        }
        catch (Exception e) when (e is System.Formats.Cbor.CborContentException or InvalidOperationException)
        {
            return null;
        }
    }

    private async Task<double> UnexpectedExceptionsAsync() => await Metrics.UnexpectedExceptionsAsync(_estate.Http, _estate.Server.Endpoint);

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "..." : text;
}

/// <summary>Reads the server's own count of unexpected exceptions from /_cloudkeep/metrics.</summary>
public static class Metrics
{
    public static async Task<double> UnexpectedExceptionsAsync(HttpClient http, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync(new Uri(endpoint + "/_cloudkeep/metrics"));
        var line = text.Split('\n').Single(l => l.StartsWith("cloudkeep_unexpected_exceptions_total ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
