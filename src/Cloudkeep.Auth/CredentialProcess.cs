using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Cloudkeep.Auth;

/// <summary>
/// credential_process as the SDKs run it ("Sourcing credentials with an external process"): the
/// command is split like a shell would, run without one, and prints
/// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?} on stdout.
/// Its stderr and stdin stay the user's, so it can prompt.
/// </summary>
internal static class CredentialProcess
{
    public static async Task<TemporaryCredentials> RunAsync(ProcessCredentialSource source, CancellationToken cancellationToken)
    {
        var words = ShellWords(source.Command);
        if (words.Count == 0)
        {
            throw new AuthException($"the credential_process of the profile \"{source.Profile}\" is empty.");
        }

        var info = new ProcessStartInfo(words[0]) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        string output;
        int exitCode;
        try
        {
            using var process = Process.Start(info) ?? throw new AuthException($"credential_process \"{words[0]}\" could not be started.");
            output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            exitCode = process.ExitCode;
        }
        catch (Win32Exception e)
        {
            throw new AuthException($"credential_process \"{words[0]}\" of the profile \"{source.Profile}\" could not be started: {e.Message}");
        }

        if (exitCode != 0)
        {
            throw new AuthException($"credential_process of the profile \"{source.Profile}\" exited with code {exitCode}.");
        }

        return Parse(output, source.Profile!);
    }

    public static TemporaryCredentials Parse(string output, string profile)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 1)
            {
                throw new AuthException($"credential_process of the profile \"{profile}\" printed an unsupported Version (1 is required).");
            }

            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
            var accessKeyId = Text("AccessKeyId") ?? throw new AuthException($"credential_process of the profile \"{profile}\" printed no AccessKeyId.");
            var secret = Text("SecretAccessKey") ?? throw new AuthException($"credential_process of the profile \"{profile}\" printed no SecretAccessKey.");
            var expiration = Text("Expiration") is { } text
                ? CredentialCache.ParseExpiration(text) ?? throw new AuthException($"credential_process of the profile \"{profile}\" printed an Expiration that is not ISO 8601.")
                : (DateTimeOffset?)null;
            return new TemporaryCredentials(accessKeyId, secret, Text("SessionToken"), expiration, Text("AccountId"));
        }
        catch (JsonException)
        {
            throw new AuthException($"credential_process of the profile \"{profile}\" did not print JSON.");
        }
    }

    /// <summary>POSIX shell word splitting without expansions: quotes and backslashes, as botocore's compat_shell_split.</summary>
    public static List<string> ShellWords(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new AuthException($"credential_process has an unclosed quote: {command}");
                }

                word.Append(command, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; i < command.Length && command[i] != '"'; i++)
                {
                    if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    word.Append(command[i]);
                }

                if (i >= command.Length)
                {
                    throw new AuthException($"credential_process has an unclosed quote: {command}");
                }
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                word.Append(command[++i]);
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
