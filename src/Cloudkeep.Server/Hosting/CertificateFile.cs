namespace Cloudkeep.Server.Hosting;

/// <summary>
/// &lt;data&gt;/tls/cert.pem: the public self-signed certificate, 0644, for AWS_CA_BUNDLE and the like.
/// Replaced by rename so a reader never sees half a file; the path is fixed and checked to stay
/// inside the data directory (a symlinked tls directory is refused).
/// </summary>
internal static class CertificateFile
{
    public const string DirectoryName = "tls";
    public const string FileName = "cert.pem";

    public static string Write(string dataDirectory, string pem)
    {
        var root = Path.GetFullPath(dataDirectory);
        var directory = Path.GetFullPath(Path.Combine(root, DirectoryName));
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} is outside the data directory {root}.");
        }

        if (Directory.Exists(directory))
        {
            if (new DirectoryInfo(directory).LinkTarget is not null)
            {
                throw new InvalidOperationException($"{directory} is a symbolic link; the TLS certificate stays inside the data directory.");
            }
        }
        else if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, ReadableByAll | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var info = new FileInfo(path);
        if (info.Exists && info.LinkTarget is null && File.ReadAllText(path) == pem)
        {
            return path;
        }

        var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ReadableByAll;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(pem));
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // The umask may have narrowed the mode at creation; the certificate is public.
            File.SetUnixFileMode(temporary, ReadableByAll);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
}
