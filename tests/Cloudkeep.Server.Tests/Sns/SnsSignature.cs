using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Cloudkeep.Server.Tests.Sns;

/// <summary>
/// Verifies an SNS message as a subscriber does ("Verifying the signatures of Amazon SNS messages"):
/// fetch the certificate at SigningCertURL, build the string to sign from the message's fields in
/// SNS's order, check the RSA signature with SHA1 (SignatureVersion 1) or SHA256 (2). Written from
/// the documentation, independently of the server's signer.
/// </summary>
internal static class SnsSignature
{
    private static readonly string[] NotificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
    private static readonly string[] ConfirmationFields = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

    public static async Task<bool> VerifyAsync(JsonElement message)
    {
        using var http = new HttpClient();
        return await VerifyAsync(message, http);
    }

    /// <summary>With the subscriber's own client, e.g. one that trusts a server's self-signed certificate.</summary>
    public static async Task<bool> VerifyAsync(JsonElement message, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var pem = await http.GetStringAsync(message.GetProperty("SigningCertURL").GetString());
        using var certificate = X509Certificate2.CreateFromPem(pem);
        using var key = certificate.GetRSAPublicKey()!;
        var fields = message.GetProperty("Type").GetString() == "Notification" ? NotificationFields : ConfirmationFields;
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            if (message.TryGetProperty(field, out var value))
            {
                text.Append(field).Append('\n').Append(value.GetString()).Append('\n');
            }
        }

        var algorithm = message.GetProperty("SignatureVersion").GetString() == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        return key.VerifyData(Encoding.UTF8.GetBytes(text.ToString()), Convert.FromBase64String(message.GetProperty("Signature").GetString()!), algorithm, RSASignaturePadding.Pkcs1);
    }
}
