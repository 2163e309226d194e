using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Testing;

namespace Cloudkeep.Backup.Tests;

/// <summary>Both directions with the seed's tools: our dump read by gpg and gunzip, the seed's shell pipeline restored by us.</summary>
[Collection(BackupEstateTests.Name)]
public sealed class BackupInteropTests(BackupEstate estate)
{
    [Fact]
    public async Task DumpMadeHere_DecryptsWithGpgAndGunzips()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 20);
        var (runner, output, error) = estate.Runner();
        Assert.True(await runner.RunAsync(new BackupRunArguments(database, BackupEstate.Bucket, estate.PublicKeyFile, "to-gpg-{yyyyMMddHHmmss}.sql.gz.gpg"), CancellationToken.None) == 0, error.ToString());
        var key = output.ToString().Split(' ')[1].Split('/', 4)[3];
        var file = Path.Combine(estate.Work, key);
        using (var s3 = estate.S3(estate.CiRole))
        using (var response = await s3.GetObjectAsync(BackupEstate.Bucket, key))
        {
            await response.WriteResponseStreamToFileAsync(file, false, CancellationToken.None);
        }

        // gpg lists the packets as the seed's CI check does, then decrypts; gunzip reads the result.
        var packets = await estate.GpgAsync("--pinentry-mode", "loopback", "--passphrase", BackupEstate.Passphrase, "--list-packets", file);
        Assert.True(packets.ExitCode == 0, packets.StandardError);
        Assert.Contains(":pubkey enc packet:", packets.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(":encrypted data packet:", packets.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mdc_method: 2", packets.StandardOutput, StringComparison.Ordinal);
        var sql = await ProcessRunner.RunAsync("bash", ["-c", $"gpg --batch --quiet --homedir '{estate.GnupgHome}' --pinentry-mode loopback --passphrase '{BackupEstate.Passphrase}' --decrypt '{file}' | gunzip"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(sql.ExitCode == 0, sql.StandardError);
        Assert.Contains("CREATE TABLE public.suppliers", sql.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("-- PostgreSQL database dump complete", sql.StandardOutput, StringComparison.Ordinal);

        // The seed's flags: --clean --if-exists, --no-owner, --no-acl.
        Assert.Contains("DROP TABLE IF EXISTS public.suppliers;", sql.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("OWNER TO", sql.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("GRANT ", sql.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpMadeByTheSeedsPipeline_RestoresWithBackupRestore()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 30);
        var before = await ShopDatabase.FingerprintAsync(database);
        var file = Path.Combine(estate.Work, "seed-pipeline.sql.gz.gpg");
        var made = await ProcessRunner.RunAsync("bash", ["-c",
            $"set -o pipefail; pg_dump --no-acl --no-owner --clean --if-exists --dbname='{database}' | gzip | gpg --batch --homedir '{estate.GnupgHome}' --trust-model always --encrypt -r backups@digitalmarketplace.example > '{file}'"],
            timeout: TimeSpan.FromSeconds(120));
        Assert.True(made.ExitCode == 0, made.StandardError);
        using (var s3 = estate.S3(estate.CiRole))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = BackupEstate.Bucket, Key = "seed-pipeline.sql.gz.gpg", FilePath = file, CannedACL = S3CannedACL.BucketOwnerFullControl });
        }

        await ShopDatabase.DropAsync(database);
        var target = await PostgresServer.CreateDatabaseAsync();
        var (runner, output, error) = estate.Runner();

        var exit = await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, "seed-pipeline.sql.gz.gpg", target, estate.PrivateKeyFile), CancellationToken.None);

        Assert.True(exit == 0, output.ToString() + error);
        Assert.Equal(before, await ShopDatabase.FingerprintAsync(target));
    }

    [Fact]
    public async Task ArmoredDumpFromGpg_AlsoRestores()
    {
        var database = await ShopDatabase.CreateAsync(suppliers: 10);
        var before = await ShopDatabase.FingerprintAsync(database);
        var file = Path.Combine(estate.Work, "armored.sql.gz.asc");
        var made = await ProcessRunner.RunAsync("bash", ["-c",
            $"set -o pipefail; pg_dump --no-acl --no-owner --clean --if-exists --dbname='{database}' | gzip | gpg --batch --homedir '{estate.GnupgHome}' --trust-model always --armor --encrypt -r backups@digitalmarketplace.example > '{file}'"],
            timeout: TimeSpan.FromSeconds(120));
        Assert.True(made.ExitCode == 0, made.StandardError);
        using (var s3 = estate.S3(estate.CiRole))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = BackupEstate.Bucket, Key = "armored.sql.gz.asc", FilePath = file, CannedACL = S3CannedACL.BucketOwnerFullControl });
        }

        var target = await PostgresServer.CreateDatabaseAsync();
        var (runner, output, error) = estate.Runner();
        Assert.True(await runner.RestoreAsync(new BackupRestoreArguments(BackupEstate.Bucket, "armored.sql.gz.asc", target, estate.PrivateKeyFile), CancellationToken.None) == 0, output.ToString() + error);
        Assert.Equal(before, await ShopDatabase.FingerprintAsync(target));
    }
}
