using System.Diagnostics;
using System.Security.Cryptography;
using Cloudkeep.Secrets.Keys;
using Cloudkeep.Secrets.Stores;

namespace Cloudkeep.Secrets;

/// <summary>
/// The five verbs of <c>cloudkeep secrets</c>. Output goes to stdout unless -i (in place) or
/// --output is given, as with sops; errors come back as <see cref="SopsException"/> with sops's exit status.
/// </summary>
public sealed class SecretsRunner(SecretsEnvironment environment, TimeProvider time, Stream stdout, TextReader stdin, TextWriter stderr, string workingDirectory)
{
    /// <summary>What sops tries when neither variable is set.</summary>
    private static readonly string[] FallbackEditors = ["vim", "nano", "vi"];

    private readonly SopsFiles _files = new(environment, time);

    public async Task<int> EncryptAsync(SecretsArguments args, CancellationToken cancellationToken)
    {
        var plain = Read(args.File);
        var metadata = Template(args);
        var output = await _files.EncryptAsync(SopsStores.For(args.File, args.InputType), plain, metadata, cancellationToken);
        if (args.OutputType is not null && args.OutputType != args.InputType)
        {
            var (documents, sealedMetadata) = SopsStores.For(args.File, args.InputType).LoadEncrypted(output);
            output = SopsStores.For(args.File, args.OutputType).EmitEncrypted(documents, sealedMetadata);
        }

        await WriteAsync(args, output, cancellationToken);
        return 0;
    }

    public async Task<int> DecryptAsync(SecretsArguments args, CancellationToken cancellationToken)
    {
        var opened = await _files.OpenAsync(SopsStores.For(args.File, args.InputType), Read(args.File), args.IgnoreMac, cancellationToken);
        var output = SopsStores.For(args.File, args.OutputType ?? args.InputType).EmitPlain(opened.Documents);
        await WriteAsync(args, output, cancellationToken);
        return 0;
    }

    /// <summary>Rotates the data key: every value is encrypted again under a new key, optionally with master keys added or removed.</summary>
    public async Task<int> RotateAsync(SecretsArguments args, CancellationToken cancellationToken)
    {
        var store = SopsStores.For(args.File, args.InputType);
        var opened = await _files.OpenAsync(store, Read(args.File), args.IgnoreMac, cancellationToken);
        var group = opened.Metadata.KeyGroups[0];
        var context = SecretsKeyArguments.Context(args.EncryptionContext);
        group.AddRange(SecretsKeyArguments.Kms(args.AddKms, context, args.AwsProfile ?? ""));
        group.AddRange(SecretsKeyArguments.Pgp(args.AddPgp));
        group.AddRange(SecretsKeyArguments.Age(args.AddAge));
        var removed = new List<MasterKey>([
            .. SecretsKeyArguments.Kms(args.RemoveKms, context, args.AwsProfile ?? ""),
            .. SecretsKeyArguments.Pgp(args.RemovePgp),
            .. SecretsKeyArguments.Age(args.RemoveAge)]);
        group.RemoveAll(key => removed.Any(r => SameIgnoringContext(r, key)));
        if (group.Count == 0)
        {
            throw new SopsException(SopsExitCodes.NoEncryptionKeyFound, "rotate would leave the file without any master key");
        }

        var dataKey = RandomNumberGenerator.GetBytes(32);
        await _files.Keys.EncryptAsync(opened.Metadata, dataKey, time.GetUtcNow(), cancellationToken);
        var output = _files.Seal(store, opened with { DataKey = dataKey, Cipher = new SopsValueCipher() });
        await WriteAsync(args, output, cancellationToken);
        return 0;
    }

    /// <summary>
    /// Brings the file's master keys in line with its .sops.yaml creation rule, keeping the data key and
    /// the encrypted values as they are (sops updatekeys).
    /// </summary>
    public async Task<int> UpdateKeysAsync(SecretsArguments args, CancellationToken cancellationToken)
    {
        var store = SopsStores.For(args.File, args.InputType);
        var content = Read(args.File);
        var config = SopsConfig.Find(args.ConfigPath, workingDirectory)
            ?? throw new SopsException(SopsExitCodes.ConfigFileNotFound, "no .sops.yaml found: updatekeys needs a creation rule");
        var wanted = config.ForFile(args.File, SecretsKeyArguments.Context(args.EncryptionContext))
            ?? throw new SopsException(SopsExitCodes.ErrorReadingConfig, $"no creation rule in .sops.yaml matches {args.File}");
        var opened = await _files.OpenAsync(store, content, args.IgnoreMac, cancellationToken);
        var current = opened.Metadata;
        var currentKeys = current.AllKeys.ToList();
        var wantedKeys = wanted.AllKeys.ToList();
        var added = wantedKeys.Where(w => !currentKeys.Any(c => c.SameKey(w))).ToList();
        var removed = currentKeys.Where(c => !wantedKeys.Any(w => w.SameKey(c))).ToList();
        if (added.Count == 0 && removed.Count == 0)
        {
            await stderr.WriteLineAsync($"{args.File}: already up to date");
            return 0;
        }

        foreach (var key in added)
        {
            await stderr.WriteLineAsync($"+++ {key.Name}");
        }

        foreach (var key in removed)
        {
            await stderr.WriteLineAsync($"--- {key.Name}");
        }

        if (!args.Yes)
        {
            await stderr.WriteAsync("Is this okay? (y/n): ");
            var answer = (await stdin.ReadLineAsync(cancellationToken))?.Trim();
            if (answer is not ("y" or "Y" or "yes"))
            {
                await stderr.WriteLineAsync("Changes not applied");
                return SopsExitCodes.ErrorGeneric;
            }
        }

        // Keys kept keep their encrypted copy of the data key; new ones get one.
        var groups = wanted.KeyGroups.Select(group => group.Select(w => currentKeys.FirstOrDefault(c => c.SameKey(w)) ?? w).ToList()).ToList();
        current.KeyGroups = groups;
        current.WrittenAsKeyGroups = wanted.WrittenAsKeyGroups;
        current.ShamirThreshold = wanted.ShamirThreshold;
        await _files.Keys.EncryptAsync(current, opened.DataKey, time.GetUtcNow(), cancellationToken, all: false);
        var (encryptedDocuments, _) = store.LoadEncrypted(content);
        await WriteFileAsync(args.File, store.EmitEncrypted(encryptedDocuments, current), cancellationToken);
        await stderr.WriteLineAsync($"{args.File}: keys updated");
        return 0;
    }

    /// <summary>
    /// Opens $SOPS_EDITOR / $EDITOR on a decrypted copy in a private temporary directory (file mode
    /// 0600), then encrypts what was saved back into the file and removes the copy, whatever happens.
    /// </summary>
    public async Task<int> EditAsync(SecretsArguments args, CancellationToken cancellationToken)
    {
        var store = SopsStores.For(args.File, args.InputType);
        OpenedFile opened;
        if (File.Exists(args.File))
        {
            opened = await _files.OpenAsync(store, Read(args.File), args.IgnoreMac, cancellationToken);
        }
        else
        {
            var metadata = Template(args);
            metadata.ApplyDefaultRule();
            var dataKey = RandomNumberGenerator.GetBytes(32);
            await _files.Keys.EncryptAsync(metadata, dataKey, time.GetUtcNow(), cancellationToken);
            opened = new OpenedFile([], metadata, dataKey, new SopsValueCipher());
        }

        var editor = FindEditor() ?? throw new SopsException(SopsExitCodes.NoEditorFound, "no editor found: set $SOPS_EDITOR or $EDITOR");
        var directory = Directory.CreateTempSubdirectory("cloudkeep-secrets-");
        var copy = Path.Combine(directory.FullName, Path.GetFileName(args.File));
        try
        {
            var before = opened.Documents.Count == 0 ? [] : store.EmitPlain(opened.Documents);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(copy, options))
            {
                await stream.WriteAsync(before, cancellationToken);
            }

            var exit = await RunEditorAsync(editor, copy, cancellationToken);
            if (exit != 0)
            {
                throw new SopsException(SopsExitCodes.ErrorGeneric, $"the editor exited with status {exit}; the file was not changed");
            }

            var after = await File.ReadAllBytesAsync(copy, cancellationToken);
            if (after.AsSpan().SequenceEqual(before))
            {
                await stderr.WriteLineAsync("File has not changed, exiting.");
                return SopsExitCodes.FileHasNotBeenModified;
            }

            var documents = store.LoadPlain(after);
            if (store.HasSopsMetadata(documents))
            {
                throw new SopsException(SopsExitCodes.ErrorGeneric, "the edited file must not contain a sops key");
            }

            await WriteFileAsync(args.File, _files.Seal(store, opened with { Documents = documents }), cancellationToken);
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private SopsMetadata Template(SecretsArguments args)
    {
        var context = SecretsKeyArguments.Context(args.EncryptionContext);
        var fromArgs = new List<MasterKey>([
            .. SecretsKeyArguments.Kms(args.Kms, context, args.AwsProfile ?? ""),
            .. SecretsKeyArguments.Pgp(args.Pgp),
            .. SecretsKeyArguments.Age(args.Age)]);
        var fromConfig = fromArgs.Count == 0 || args.ConfigPath is not null
            ? SopsConfig.Find(args.ConfigPath, workingDirectory)?.ForFile(args.File, context)
            : null;
        var metadata = fromConfig ?? new SopsMetadata();
        if (fromArgs.Count > 0)
        {
            metadata.KeyGroups = [fromArgs];
            metadata.WrittenAsKeyGroups = false;
        }

        metadata.UnencryptedSuffix = args.UnencryptedSuffix ?? metadata.UnencryptedSuffix;
        metadata.EncryptedSuffix = args.EncryptedSuffix ?? metadata.EncryptedSuffix;
        metadata.UnencryptedRegex = args.UnencryptedRegex ?? metadata.UnencryptedRegex;
        metadata.EncryptedRegex = args.EncryptedRegex ?? metadata.EncryptedRegex;
        metadata.MacOnlyEncrypted |= args.MacOnlyEncrypted;
        return metadata;
    }

    private static bool SameIgnoringContext(MasterKey removed, MasterKey key) => removed switch
    {
        KmsMasterKey r => key is KmsMasterKey k && k.Arn == r.Arn && (r.Role is null || k.Role == r.Role),
        _ => removed.SameKey(key),
    };

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SopsException(SopsExitCodes.CouldNotReadInputFile, $"could not read {path}: {e.Message}", e);
        }
    }

    private async Task WriteAsync(SecretsArguments args, byte[] output, CancellationToken cancellationToken)
    {
        if (args.InPlace)
        {
            await WriteFileAsync(args.File, output, cancellationToken);
        }
        else if (args.Output is not null)
        {
            await WriteFileAsync(args.Output, output, cancellationToken);
        }
        else
        {
            await stdout.WriteAsync(output, cancellationToken);
            await stdout.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes through a temporary file and a rename, so a failure never leaves half a file; an existing file keeps its mode.</summary>
    private static async Task WriteFileAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".cloudkeep-tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = File.Exists(full) ? File.GetUnixFileMode(full) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new SopsException(SopsExitCodes.CouldNotWriteOutputFile, $"could not write {path}: {e.Message}", e);
        }
    }

    private string? FindEditor()
    {
        if (environment.GetVariable("SOPS_EDITOR") is { } sopsEditor)
        {
            return sopsEditor;
        }

        if (environment.GetVariable("EDITOR") is { } editor)
        {
            return editor;
        }

        var path = environment.GetVariable("PATH") ?? "";
        return FallbackEditors.FirstOrDefault(name => path.Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, name))));
    }

    /// <summary>The editor variable may carry arguments ("code --wait"), so it goes through the shell with the file as "$1".</summary>
    private static async Task<int> RunEditorAsync(string editor, string file, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(editor + " \"$1\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start) ?? throw new SopsException(SopsExitCodes.NoEditorFound, $"could not start {editor}");
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }
}
