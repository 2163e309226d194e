using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.S3.Model;
using Cloudkeep.Secrets;
using Cloudkeep.Secrets.Keys;

namespace Cloudkeep.Backup;

/// <summary>
/// The verbs of <c>cloudkeep backup</c>. Each returns the process's exit status: 0 done, 1 failed (after the
/// alert sinks have been told, for run and restore), 2 a usage error.
/// </summary>
public sealed partial class BackupRunner(BackupConnection connection, TextWriter output, TextWriter error, TimeProvider time, SecretsEnvironment secrets, IReadOnlyList<IBackupAlertSink> alerts)
{
    private const int CopyBuffer = 1 << 16;

    /// <summary>pg_dump → gzip → OpenPGP → the POST body, then (with a private key) the verification.</summary>
    public async Task<int> RunAsync(BackupRunArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var key = ExpandName(args.NameTemplate, time.GetUtcNow());
        try
        {
            var size = await UploadAsync(args, key, cancellationToken);
            await output.WriteLineAsync($"uploaded s3://{args.Bucket}/{key} ({size} bytes)");
            if (args.PrivateKeyFile is not null)
            {
                var sql = await VerifyAsync(args.Bucket, key, await LoadPrivateKeyAsync(args.PrivateKeyFile, cancellationToken), cancellationToken);
                await output.WriteLineAsync($"verified s3://{args.Bucket}/{key}: decrypts, gunzips, {sql} bytes of SQL ending as pg_dump ends");
            }

            return 0;
        }
        catch (Exception e) when (IsFailure(e))
        {
            return await FailAsync($"backup of {Redact(args.Database)} to s3://{args.Bucket}/{key}", e, cancellationToken);
        }
    }

    /// <summary><c>backup verify</c>: the check <c>run</c> makes after its upload, for an object already there.</summary>
    public async Task<int> VerifyAsync(string bucket, string objectKey, string privateKeyFile, CancellationToken cancellationToken)
    {
        try
        {
            var sql = await VerifyAsync(bucket, objectKey, await LoadPrivateKeyAsync(privateKeyFile, cancellationToken), cancellationToken);
            await output.WriteLineAsync($"verified s3://{bucket}/{objectKey}: decrypts, gunzips, {sql} bytes of SQL ending as pg_dump ends");
            return 0;
        }
        catch (Exception e) when (IsFailure(e))
        {
            return await FailAsync($"verification of s3://{bucket}/{objectKey}", e, cancellationToken);
        }
    }

    /// <summary><c>backup list</c>: the bucket's objects (under a prefix), newest first, with size and age.</summary>
    public async Task<int> ListAsync(string bucket, string? prefix, CancellationToken cancellationToken)
    {
        try
        {
            var objects = await ListObjectsAsync(bucket, prefix, cancellationToken);
            var now = time.GetUtcNow();
            var width = objects.Count == 0 ? 0 : objects.Max(o => o.Key.Length);
            foreach (var item in objects)
            {
                var modified = new DateTimeOffset(item.LastModified!.Value.ToUniversalTime(), TimeSpan.Zero);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{item.Key.PadRight(width)}  {modified:yyyy-MM-dd'T'HH:mm:ss'Z'}  {item.Size,14:N0} B  {Age(now - modified)}"));
            }

            return 0;
        }
        catch (AmazonServiceException e)
        {
            await error.WriteLineAsync($"cloudkeep backup list: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// <c>backup restore</c>: the object is downloaded (still encrypted) to a temporary file and read through once
    /// completely (integrity code, gzip, pg_dump's ending) before a byte reaches psql, so a truncated or tampered
    /// dump restores nothing; then decrypt → gunzip → psql in one transaction, the cleaning SQL, and the re-dump.
    /// </summary>
    public async Task<int> RestoreAsync(BackupRestoreArguments args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var objectKey = args.ObjectKey;
        try
        {
            if (objectKey == "latest")
            {
                var newest = (await ListObjectsAsync(args.Bucket, args.Prefix, cancellationToken)).FirstOrDefault()
                    ?? throw new BackupException($"s3://{args.Bucket}/{args.Prefix} holds no dump");
                objectKey = newest.Key;
            }

            var key = await LoadPrivateKeyAsync(args.PrivateKeyFile, cancellationToken);
            var tools = new PostgresTools(args.PostgresBin);
            var spool = Path.Combine(Path.GetTempPath(), $"cloudkeep-restore-{Guid.NewGuid():N}.gpg");
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBuffer, FileOptions.DeleteOnClose | FileOptions.Asynchronous))
            {
                using (var s3 = connection.S3())
                using (var response = await s3.GetObjectAsync(args.Bucket, objectKey, cancellationToken))
                {
                    await response.ResponseStream.CopyToAsync(file, CopyBuffer, cancellationToken);
                }

                file.Position = 0;
                var sql = await ReadPlaintextAsync(file, key, Stream.Null, cancellationToken);
                await output.WriteLineAsync($"checked s3://{args.Bucket}/{objectKey}: {sql} bytes of SQL, integrity and ending intact");

                file.Position = 0;
                using var psql = tools.StartRestore(args.Into);
                var drain = psql.Output.CopyToAsync(Stream.Null, cancellationToken);
                try
                {
                    await ReadPlaintextAsync(file, key, psql.Input, cancellationToken);
                }
                catch (IOException) when (psql.ExitedWithin(TimeSpan.FromSeconds(5)))
                {
                    // psql stopped reading (ON_ERROR_STOP rolled its transaction back): its exit status and message say why.
                }
                catch
                {
                    // Never let psql see the end of its input after a failure: it would commit what it had.
                    psql.Dispose();
                    throw;
                }

                psql.CloseInput();
                await drain;
                await psql.WaitForSuccessAsync("psql", cancellationToken);
            }

            await output.WriteLineAsync($"restored s3://{args.Bucket}/{objectKey} into {Redact(args.Into)}");
            if (args.ThenSql is not null)
            {
                await tools.RunFileAsync(args.Into, args.ThenSql, cancellationToken);
                await output.WriteLineAsync($"ran {args.ThenSql}");
            }
        }
        catch (Exception e) when (IsFailure(e))
        {
            return await FailAsync($"restore of s3://{args.Bucket}/{objectKey} into {Redact(args.Into)}", e, cancellationToken);
        }

        if (args.RedumpBucket is not null)
        {
            return await RunAsync(new BackupRunArguments(args.Into, args.RedumpBucket, args.RedumpRecipientKeyFile!, args.RedumpName!) { PostgresBin = args.PostgresBin }, cancellationToken);
        }

        return 0;
    }

    /// <summary>The name template's <c>{FORMAT}</c> parts as UTC date/time formats: <c>production-{yyyyMMddHHmm}.sql.gz.gpg</c>.</summary>
    public static string ExpandName(string template, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(template);
        return NamePart().Replace(template, m => now.UtcDateTime.ToString(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private async Task<long> UploadAsync(BackupRunArguments args, string key, CancellationToken cancellationToken)
    {
        var recipient = OpenPgpEncryption.LoadRecipient(args.RecipientKeyFile);
        var credentials = await connection.Credentials.GetCredentialsAsync();
        var now = time.GetUtcNow();
        var post = PresignedPost.Create(credentials, PresignedPost.BucketUrl(connection.Endpoint, args.Bucket, connection.Region), args.Bucket, key, args.Acl, connection.Region, args.PostExpiresIn, now);
        var tools = new PostgresTools(args.PostgresBin);
        long written = 0;
        using var content = new FormUploadContent(post, key, async (body, token) =>
        {
            using var dump = tools.StartDump(args.Database);
            var counted = new CountingStream(body);
            using (var encrypted = OpenPgpEncryption.Open(recipient, counted, now.UtcDateTime))
            using (var gzip = new GZipStream(encrypted, CompressionLevel.Optimal, leaveOpen: true))
            {
                await dump.Output.CopyToAsync(gzip, CopyBuffer, token);

                // A pg_dump that failed half-way leaves the body without its closing boundary: S3 stores nothing.
                await dump.WaitForSuccessAsync("pg_dump", token);
            }

            written = counted.Written;
        });
        using var http = connection.Http();
        using var response = await http.PostAsync(post.Url, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new BackupException($"S3 refused the upload ({(int)response.StatusCode}): {S3Error(text)}");
        }

        return written;
    }

    /// <summary>Downloads and reads the whole object; the number of SQL bytes when it is intact.</summary>
    private async Task<long> VerifyAsync(string bucket, string objectKey, OpenPgpDecryption key, CancellationToken cancellationToken)
    {
        using var s3 = connection.S3();
        using var response = await s3.GetObjectAsync(bucket, objectKey, cancellationToken);
        return await ReadPlaintextAsync(response.ResponseStream, key, Stream.Null, cancellationToken);
    }

    /// <summary>decrypt → gunzip → <paramref name="sink"/>, refusing a bad integrity code, bad gzip or SQL that does not end as pg_dump ends.</summary>
    private static async Task<long> ReadPlaintextAsync(Stream encrypted, OpenPgpDecryption key, Stream sink, CancellationToken cancellationToken)
    {
        var tail = new DumpTail();
        using var plain = key.Open(encrypted);
        try
        {
            await using var gunzip = new GZipStream(plain, CompressionMode.Decompress, leaveOpen: true);
            var buffer = new byte[CopyBuffer];
            int read;
            while ((read = await gunzip.ReadAsync(buffer, cancellationToken)) > 0)
            {
                tail.Append(buffer.AsSpan(0, read));
                await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            // The gzip stream may end before the literal data does (trailing bytes): the MDC is checked only at its end.
            await plain.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            // Garbage after decryption is most often a changed ciphertext: reading on to the integrity code says so.
            await plain.CopyToAsync(Stream.Null, cancellationToken);
            throw new BackupException($"the dump is not valid gzip: {e.Message}", e);
        }

        if (!tail.EndsAsPgDumpEnds())
        {
            throw new BackupException("the dump is truncated: its SQL does not end with pg_dump's \"-- PostgreSQL database dump complete\"");
        }

        return tail.Length;
    }

    /// <summary>
    /// The private key from a SOPS file (read through Cloudkeep.Secrets, so KMS, age and PGP master keys work):
    /// a binary-store file holding the armored key, or a YAML/JSON one with <c>private_key</c> and optional <c>passphrase</c>.
    /// </summary>
    private async Task<OpenPgpDecryption> LoadPrivateKeyAsync(string path, CancellationToken cancellationToken)
    {
        using var plain = new MemoryStream();
        var runner = new SecretsRunner(secrets, time, plain, TextReader.Null, TextWriter.Null, Directory.GetCurrentDirectory());
        try
        {
            await runner.DecryptAsync(new SecretsArguments { File = path, OutputType = "json" }, cancellationToken);
        }
        catch (SopsException e)
        {
            throw new BackupException($"the private key file {path} cannot be decrypted: {e.Message}", e);
        }

        using var document = JsonDocument.Parse(plain.ToArray());
        var root = document.RootElement;
        var text = root.TryGetProperty("private_key", out var armored) ? armored.GetString()
            : root.TryGetProperty("data", out var data) ? data.GetString()
            : null;
        var passphrase = root.TryGetProperty("passphrase", out var phrase) ? phrase.GetString() : null;
        return OpenPgpDecryption.FromSecretKey(text ?? throw new BackupException($"{path} holds neither private_key nor binary data"), passphrase);
    }

    private async Task<List<S3Object>> ListObjectsAsync(string bucket, string? prefix, CancellationToken cancellationToken)
    {
        using var s3 = connection.S3();
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return [.. objects.OrderByDescending(o => o.LastModified).ThenByDescending(o => o.Key, StringComparer.Ordinal)];
    }

    private async Task<int> FailAsync(string what, Exception e, CancellationToken cancellationToken)
    {
        var message = $"{what} failed: {e.Message}";
        await error.WriteLineAsync($"cloudkeep backup: {message}");
        foreach (var sink in alerts)
        {
            try
            {
                await sink.SendAsync(new BackupAlert(what, message, time.GetUtcNow()), cancellationToken);
            }
            catch (Exception alertFailure) when (alertFailure is HttpRequestException or IOException or System.Net.Sockets.SocketException or MailKit.CommandException or MailKit.ProtocolException or MimeKit.ParseException or TaskCanceledException)
            {
                await error.WriteLineAsync($"cloudkeep backup: the alert could not be sent: {alertFailure.Message}");
            }
        }

        return 1;
    }

    private static bool IsFailure(Exception e) =>
        e is BackupException or AmazonServiceException or AmazonClientException or HttpRequestException or IOException or UnauthorizedAccessException;

    /// <summary>The error's code and message from S3's XML answer, else its first characters.</summary>
    private static string S3Error(string body)
    {
        try
        {
            var root = XDocument.Parse(body).Root;
            return $"{root?.Element("Code")?.Value}: {root?.Element("Message")?.Value}";
        }
        catch (System.Xml.XmlException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    /// <summary>A database URL without its password, for messages.</summary>
    private static string Redact(string database) =>
        Uri.TryCreate(database, UriKind.Absolute, out var url) && url.UserInfo.Contains(':', StringComparison.Ordinal)
            ? database.Replace(url.UserInfo, url.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : database;

    private static string Age(TimeSpan age) =>
        age < TimeSpan.Zero ? "0m"
        : age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d {age.Hours}h")
        : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h {age.Minutes}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes}m");

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex NamePart();

    /// <summary>Counts what is written to the request body; never closes it.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
