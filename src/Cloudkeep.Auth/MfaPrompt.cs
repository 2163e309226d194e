using System.Text;

namespace Cloudkeep.Auth;

/// <summary>
/// Where MFA codes come from: --mfa-code once, else the terminal (without echo, up to three tries
/// when STS refuses a code), else one line of stdin when stdin is not a terminal. stdin is read a
/// byte at a time so nothing beyond that line is taken from the child's input.
/// </summary>
public sealed class MfaPrompt
{
    public const int TerminalAttempts = 3;

    private readonly Func<string, string?> _read;
    private string? _given;

    public MfaPrompt(string? given, bool interactive, Func<string, string?> read)
    {
        _given = given;
        Interactive = interactive;
        _read = read;
    }

    /// <summary>True when a refused code may be asked for again.</summary>
    public bool Interactive { get; }

    public static MfaPrompt ForConsole(string? given) =>
        Console.IsInputRedirected ? new MfaPrompt(given, interactive: false, _ => ReadStandardInputLine()) : new MfaPrompt(given, interactive: given is null, ReadTerminal);

    /// <summary>A code for <paramref name="serial"/>; attempt counts from 1.</summary>
    public string Code(string serial, int attempt)
    {
        if (_given is { } given)
        {
            // A one-time code is good for one call; a second MFA step in a chain asks again.
            _given = null;
            return given;
        }

        var prompt = attempt == 1 ? $"Enter MFA code for {serial}: " : $"That code was refused. Enter MFA code for {serial} (try {attempt} of {TerminalAttempts}): ";
        var code = _read(prompt)?.Trim();
        return string.IsNullOrEmpty(code)
            ? throw new AuthException($"an MFA code is needed for {serial}: run on a terminal, give it on stdin, or pass --mfa-code.")
            : code;
    }

    private static StreamWriter? OpenTerminal()
    {
        try
        {
            return new StreamWriter(new FileStream("/dev/tty", FileMode.Open, FileAccess.Write));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadStandardInputLine()
    {
        using var stdin = Console.OpenStandardInput();
        var bytes = new List<byte>();
        while (true)
        {
            var next = stdin.ReadByte();
            if (next < 0)
            {
                return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (next == '\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            bytes.Add((byte)next);
        }
    }

    private static string? ReadTerminal(string prompt)
    {
        // The prompt goes to the terminal itself: stdout is the child's (or --export's), and the
        // AWS CLI captures stderr when it runs `cloudkeep auth --credential-process`.
        using var terminal = OpenTerminal();
        var output = terminal ?? Console.Error;
        output.Write(prompt);
        output.Flush();
        var code = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                output.Flush();
                return code.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (code.Length > 0)
                {
                    code.Length--;
                }
            }
            else if (key.KeyChar != '\0')
            {
                code.Append(key.KeyChar);
            }
        }
    }
}
