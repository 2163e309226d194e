using System.Security.Cryptography;
using Cloudkeep.Core.Crypto;
using Cloudkeep.Services.Kms;
using Cloudkeep.Testing;
using Microsoft.Data.Sqlite;

namespace Cloudkeep.Server.Tests.Kms;

/// <summary>Key material at rest: sealed under the master key, never in the database file in the clear.</summary>
public sealed class KmsSealedMaterialTests
{
    [Fact]
    public async Task KeyMaterial_InDatabaseFiles_OnlySealed()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var directory = new TempDirectory();
        string keyId;
        byte[] blob;
        await using (var server = await TestServer.StartAsync(dataDirectory: directory.Path, masterKey: Convert.ToBase64String(masterKey)))
        {
            using var kms = KmsClients.Kms(server);
            keyId = (await kms.NewKeyAsync()).KeyId;
            blob = (await kms.EncryptAsync(keyId, [1, 2, 3])).ToArray();
        }

        // The sealed value is the real material: opened with the master key, it decrypts the blob.
        string sealedValue;
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory.Path, "cloudkeep.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT material_sealed FROM kms_key_materials WHERE key_id = $id AND version = 1";
            command.Parameters.AddWithValue("$id", keyId);
            sealedValue = (string)(await command.ExecuteScalarAsync())!;
        }

        var material = new SecretBox(masterKey).Open(Convert.FromBase64String(sealedValue), $"kms-key-material:{keyId}:1");
        Assert.True(KmsCiphertext.TryOpen(blob, material, null, out var plaintext));
        Assert.Equal(new byte[] { 1, 2, 3 }, plaintext);
        Assert.Throws<AuthenticationTagMismatchException>(() => new SecretBox(masterKey).Open(Convert.FromBase64String(sealedValue), $"kms-key-material:{keyId}:2"));

        foreach (var file in Directory.GetFiles(directory.Path, "cloudkeep.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var text = System.Text.Encoding.Latin1.GetString(bytes);
            Assert.True(bytes.AsSpan().IndexOf(material) < 0, $"{file} holds the raw key material");
            Assert.DoesNotContain(Convert.ToBase64String(material), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(material), text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
