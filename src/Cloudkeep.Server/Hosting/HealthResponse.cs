using System.Text.Json.Serialization;

namespace Cloudkeep.Server.Hosting;

/// <summary>The body of GET /_cloudkeep/health.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("managementAccountId")] string ManagementAccountId,
    [property: JsonPropertyName("metadataStore")] string MetadataStore);

[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
