namespace Cloudkeep.Storage.Files;

/// <summary>Where Cloudkeep keeps its state; created owner-only (0700).</summary>
public static class DataDirectory
{
    /// <summary>$XDG_DATA_HOME/cloudkeep, else ~/.local/share/cloudkeep.</summary>
    public static string Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDirectory = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDirectory, "cloudkeep");
    }

    public static string Ensure(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return full;
    }
}
