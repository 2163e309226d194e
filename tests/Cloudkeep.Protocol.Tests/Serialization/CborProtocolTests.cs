using System.Collections.Immutable;
using System.Formats.Cbor;
using System.Text.Json.Nodes;
using Cloudkeep.Core.Errors;
using Cloudkeep.Protocol.Model;
using Cloudkeep.Protocol.Serialization;
using CsCheck;

namespace Cloudkeep.Protocol.Tests.Serialization;

/// <summary>
/// Smithy RPC v2 CBOR: every input and output shape of the CloudWatch model survives encode →
/// decode (property-based, from the model), and the reader takes what the specification lets a
/// client send (indefinite lengths, tag 1 timestamps as integers or floats, unknown members, nulls).
/// </summary>
public class CborProtocolTests
{
    private static readonly ServiceModel CloudWatch = ModelCatalog.LoadEmbedded().All.Single(m => m.SigningName == "monitoring");

    public static TheoryData<string> Shapes()
    {
        var data = new TheoryData<string>();
        foreach (var operation in CloudWatch.Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            foreach (var shape in new[] { operation.Input, operation.Output }.OfType<Shape>())
            {
                data.Add(shape.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EncodeThenDecode_AnyValueOfTheShape_GivesItBack(string shapeName)
    {
        var shape = CloudWatch.Shapes[shapeName];
        Structure(shape, 0).Sample(
            value =>
            {
                var encoded = CborProtocol.Encode(shape, value);
                var decoded = CborProtocol.DecodeInput(shape, encoded);
                // Byte-for-byte the same encoding again: members, lists, maps, numbers (NaN too), times and blobs came back.
                Assert.Equal(Convert.ToHexString(encoded), Convert.ToHexString(CborProtocol.Encode(shape, decoded)));
            },
            iter: 200);
    }

    [Fact]
    public void DecodeInput_IndefiniteLengthsTagsAndUnknownMembers_ReadAsTheSpecificationSays()
    {
        var writer = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        writer.WriteStartMap(null);
        writer.WriteTextString("Namespace");
        writer.WriteStartIndefiniteLengthTextString();
        writer.WriteTextString("Ap");
        writer.WriteTextString("p");
        writer.WriteEndIndefiniteLengthTextString();
        writer.WriteTextString("SomethingNew");
        writer.WriteStartArray(1);
        writer.WriteInt32(1);
        writer.WriteEndArray();
        writer.WriteTextString("StrictEntityValidation");
        writer.WriteNull();
        writer.WriteTextString("MetricData");
        writer.WriteStartArray(null);
        writer.WriteStartMap(4);
        writer.WriteTextString("MetricName");
        writer.WriteTextString("Latency");
        writer.WriteTextString("Timestamp");
        writer.WriteTag(CborTag.UnixTimeSeconds);
        writer.WriteDouble(1700000000.25);
        writer.WriteTextString("Value");
        writer.WriteHalf((Half)1.5);
        writer.WriteTextString("StorageResolution");
        writer.WriteInt32(1);
        writer.WriteEndMap();
        writer.WriteEndArray();
        writer.WriteEndMap();

        var input = CborProtocol.DecodeInput(CloudWatch.Operations["PutMetricData"].Input, writer.Encode());

        Assert.Equal("App", (string?)input["Namespace"]);
        Assert.False(input.ContainsKey("StrictEntityValidation"));
        Assert.False(input.ContainsKey("SomethingNew"));
        var datum = input["MetricData"]![0]!.AsObject();
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000250), datum["Timestamp"]!.GetValue<DateTimeOffset>());
        Assert.Equal(1.5, datum["Value"]!.GetValue<double>());
        Assert.Equal(1L, datum["StorageResolution"]!.GetValue<long>());
    }

    [Fact]
    public void WriteOutput_Timestamps_AreTagOneEpochSeconds()
    {
        var operation = CloudWatch.Operations["GetMetricStatistics"];
        var output = new JsonObject
        {
            ["Label"] = "L",
            ["Datapoints"] = new JsonArray(new JsonObject { ["Timestamp"] = DateTimeOffset.FromUnixTimeSeconds(1700000040), ["Sum"] = 2.5 }, new JsonObject { ["Timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(1700000040500) }),
        };

        var reader = new CborReader(CborProtocol.WriteOutput(operation.Output, output));
        reader.ReadStartMap();
        Assert.Equal("Label", reader.ReadTextString());
        reader.SkipValue();
        Assert.Equal("Datapoints", reader.ReadTextString());
        reader.ReadStartArray();
        reader.ReadStartMap();
        Assert.Equal("Timestamp", reader.ReadTextString());
        Assert.Equal(CborTag.UnixTimeSeconds, reader.ReadTag());
        Assert.Equal(1700000040, reader.ReadInt64());
        Assert.Equal("Sum", reader.ReadTextString());
        Assert.Equal(2.5, reader.ReadDouble());
        reader.ReadEndMap();
        reader.ReadStartMap();
        reader.ReadTextString();
        Assert.Equal(CborTag.UnixTimeSeconds, reader.ReadTag());
        Assert.Equal(1700000040.5, reader.ReadDouble());
    }

    [Fact]
    public void WriteOutput_OperationWithoutOutput_IsAnEmptyBody() =>
        Assert.Empty(CborProtocol.WriteOutput(CloudWatch.Operations["PutMetricData"].Output, []));

    [Theory]
    [InlineData("")]
    [InlineData("A1")]                 // a map missing its one entry
    [InlineData("80")]                 // an array, not a structure
    [InlineData("A1634E616D01")]      // "Nam" -> 1: a text key then an integer where a string belongs... (key "Nam" is unknown, value skipped)
    [InlineData("A1694E616D65737061636501")] // Namespace: 1
    [InlineData("A1694E616D65737061636562FFFF")] // Namespace: invalid UTF-8
    [InlineData("A0A0")]               // two data items
    [InlineData("A101")]               // an integer key
    public void DecodeInput_MalformedOrMistyped_IsSerializationExceptionOrSkipped(string hex)
    {
        var input = CloudWatch.Operations["PutMetricData"].Input;
        var body = Convert.FromHexString(hex);
        if (hex is "" or "A1634E616D01")
        {
            Assert.NotNull(CborProtocol.DecodeInput(input, body));
            return;
        }

        var error = Assert.Throws<AwsException>(() => CborProtocol.DecodeInput(input, body));
        Assert.Equal("SerializationException", error.Code);
    }

    [Fact]
    public void DecodeInput_NestedPastTheLimit_IsRefusedNotOverflowed()
    {
        // MetricDataQueries → MetricStat → Metric → Dimensions → ... is shallow; a hostile body nests arrays instead.
        var body = Enumerable.Repeat((byte)0x9f, 100_000).ToArray();
        var prefixed = Convert.FromHexString("A16A4D65747269634461746181").Concat(body).ToArray();
        var error = Assert.Throws<AwsException>(() => CborProtocol.DecodeInput(CloudWatch.Operations["PutMetricData"].Input, prefixed));
        Assert.Equal("SerializationException", error.Code);
    }

    [Theory]
    [InlineData("/service/GraniteServiceVersion20100801/operation/PutMetricData", true, "GraniteServiceVersion20100801", "PutMetricData")]
    [InlineData("/prefix/service/S/operation/Op", true, "S", "Op")]
    [InlineData("/service/S/operation/", false, "", "")]
    [InlineData("/service/S/op/Op", false, "", "")]
    [InlineData("/", false, "", "")]
    public void TryParsePath_ServiceAndOperation(string path, bool parsed, string service, string operation)
    {
        Assert.Equal(parsed, CborProtocol.TryParsePath(path, out var s, out var o));
        Assert.Equal(service, s);
        Assert.Equal(operation, o);
    }

    [Fact]
    public void WriteError_TypeAndMessage()
    {
        var reader = new CborReader(CborProtocol.WriteError("InvalidParameterValueException", new AwsException(new AwsError("InvalidParameterValue", 400, ErrorFault.Sender, "m"), "bad")));
        reader.ReadStartMap();
        Assert.Equal("__type", reader.ReadTextString());
        Assert.Equal("InvalidParameterValueException", reader.ReadTextString());
        Assert.Equal("message", reader.ReadTextString());
        Assert.Equal("bad", reader.ReadTextString());
    }

    private static Gen<JsonObject> Structure(Shape shape, int depth)
    {
        var members = depth > 3 ? [] : shape.Members;
        var start = Gen.Const<ImmutableList<(string Name, JsonNode Value)>>(ImmutableList<(string Name, JsonNode Value)>.Empty);
        var all = members.Aggregate(start, (acc, member) =>
            from list in acc
            from present in Gen.Bool
            from value in present ? Value(member.Shape, depth + 1) : NoValue
            select value is null ? list : list.Add((member.Name, value)));
        return all.Select(list =>
        {
            var result = new JsonObject();
            foreach (var (name, value) in list)
            {
                result[name] = value.DeepClone();
            }

            return result;
        });
    }

    private static Gen<JsonNode?> Value(Shape shape, int depth) => shape.Type switch
    {
        ShapeType.Structure => Structure(shape, depth).Select(o => (JsonNode?)o),
        ShapeType.List => Value(shape.ListMember!.Shape, depth + 1).List[0, 3].Select(items => (JsonNode?)new JsonArray([.. items.Where(i => i is not null).Select(i => i!.DeepClone())])),
        ShapeType.Map => Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 6], Value(shape.MapValue!.Shape, depth + 1)).List[0, 3].Select(entries =>
        {
            var map = new JsonObject();
            foreach (var (key, value) in entries.Where(e => e.Item2 is not null))
            {
                map[key] = value!.DeepClone();
            }

            return (JsonNode?)map;
        }),
        ShapeType.String => Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => (JsonNode?)JsonValue.Create(s)),
        ShapeType.Integer or ShapeType.Long => Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        ShapeType.Float or ShapeType.Double => Gen.Double.Select(d => (JsonNode?)JsonValue.Create(d)),
        ShapeType.Boolean => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        ShapeType.Timestamp => Gen.Long[-62135596800000, 253402300799000].Select(ms => (JsonNode?)JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(ms))),
        ShapeType.Blob => Gen.Byte.Array[0, 8].Select(b => (JsonNode?)JsonValue.Create(b)),
        _ => NoValue,
    };

    private static readonly Gen<JsonNode?> NoValue = Gen.Bool.Select(_ => (JsonNode?)null);
}
