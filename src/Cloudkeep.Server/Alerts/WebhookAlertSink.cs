using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cloudkeep.Services.Alerts;

namespace Cloudkeep.Server.Alerts;

/// <summary>
/// Alerts POSTed as JSON. With a secret, X-Cloudkeep-Signature-256 is "sha256=" and the hex
/// HMAC-SHA256 of the exact body bytes (the receiver recomputes it and compares in constant time,
/// as GitHub's X-Hub-Signature-256 is checked). Any answer but 2xx is a failure, retried.
/// </summary>
internal sealed class WebhookAlertSink(Uri url, string? secret, HttpClient http) : IAlertSink
{
    public const string SignatureHeader = "X-Cloudkeep-Signature-256";

    public string Name => "webhook:" + url;

    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task DeliverAsync(JsonObject alert, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(alert.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Cloudkeep-Alert-Id", alert["alertId"]?.GetValue<string>());
        if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.Add(SignatureHeader, Signature(secret, body));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook {url.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode}");
        }
    }
}
