using System.CommandLine;
using Cloudkeep.Secrets;
using Cloudkeep.Secrets.Keys;

namespace Cloudkeep.Cli.Commands;

/// <summary>cloudkeep secrets encrypt|decrypt|edit|rotate|updatekeys FILE: SOPS-compatible secret files.</summary>
internal static class SecretsCommand
{
    public static Command Create()
    {
        var command = new Command("secrets", "Encrypt, decrypt and edit SOPS files (YAML, JSON, dotenv, binary) with AWS KMS, age and PGP keys.");
        command.Subcommands.Add(Verb("encrypt", "Encrypt a plain file (to stdout unless -i or --output).", (runner, args, ct) => runner.EncryptAsync(args, ct)));
        command.Subcommands.Add(Verb("decrypt", "Decrypt a file and check its MAC (to stdout unless -i or --output).", (runner, args, ct) => runner.DecryptAsync(args, ct)));
        command.Subcommands.Add(Verb("edit", "Edit a decrypted copy in $EDITOR, then encrypt it back (creates the file if missing).", (runner, args, ct) => runner.EditAsync(args, ct)));
        command.Subcommands.Add(Verb("rotate", "Re-encrypt every value under a new data key, optionally adding or removing master keys.", (runner, args, ct) => runner.RotateAsync(args, ct)));
        command.Subcommands.Add(Verb("updatekeys", "Change the file's master keys to those of its .sops.yaml creation rule, keeping its data key.", (runner, args, ct) => runner.UpdateKeysAsync(args, ct)));
        return command;
    }

    private static Command Verb(string name, string description, Func<SecretsRunner, SecretsArguments, CancellationToken, Task<int>> run)
    {
        var file = new Argument<string>("file") { Description = "The file to work on." };
        var inPlace = new Option<bool>("--in-place", "-i") { Description = "Write the result over the file." };
        var output = new Option<string?>("--output") { Description = "Write the result to this file." };
        var kms = new Option<string?>("--kms") { Description = "KMS key ARNs, comma-separated; KEY_ARN+ROLE_ARN assumes the role first." };
        var pgp = new Option<string?>("--pgp") { Description = "PGP fingerprints, comma-separated." };
        var age = new Option<string?>("--age") { Description = "age recipients, comma-separated." };
        var context = new Option<string?>("--encryption-context") { Description = "KMS encryption context, key:value,key2:value2." };
        var profile = new Option<string?>("--aws-profile") { Description = "AWS profile for KMS keys whose entry names none." };
        var inputType = new Option<string?>("--input-type") { Description = "yaml, json, dotenv or binary (default: from the extension)." };
        var outputType = new Option<string?>("--output-type") { Description = "yaml, json, dotenv or binary (default: the input type)." };
        var unencryptedSuffix = new Option<string?>("--unencrypted-suffix") { Description = "Leave values under keys with this suffix in clear (default _unencrypted)." };
        var encryptedSuffix = new Option<string?>("--encrypted-suffix") { Description = "Encrypt only values under keys with this suffix." };
        var unencryptedRegex = new Option<string?>("--unencrypted-regex") { Description = "Leave values under keys matching this regex in clear." };
        var encryptedRegex = new Option<string?>("--encrypted-regex") { Description = "Encrypt only values under keys matching this regex." };
        var macOnlyEncrypted = new Option<bool>("--mac-only-encrypted") { Description = "Compute the MAC over encrypted values only." };
        var config = new Option<string?>("--config") { Description = "The .sops.yaml to use (default: looked up from the working directory)." };
        var ignoreMac = new Option<bool>("--ignore-mac") { Description = "Do not check the MAC (dangerous: a tampered file is accepted)." };
        var addKms = new Option<string?>("--add-kms") { Description = "rotate: KMS key ARNs to add." };
        var rmKms = new Option<string?>("--rm-kms") { Description = "rotate: KMS key ARNs to remove." };
        var addPgp = new Option<string?>("--add-pgp") { Description = "rotate: PGP fingerprints to add." };
        var rmPgp = new Option<string?>("--rm-pgp") { Description = "rotate: PGP fingerprints to remove." };
        var addAge = new Option<string?>("--add-age") { Description = "rotate: age recipients to add." };
        var rmAge = new Option<string?>("--rm-age") { Description = "rotate: age recipients to remove." };
        var yes = new Option<bool>("--yes", "-y") { Description = "updatekeys: apply without asking." };

        var command = new Command(name, description)
        {
            file, inPlace, output, kms, pgp, age, context, profile, inputType, outputType,
            unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex, macOnlyEncrypted, config, ignoreMac,
        };
        if (name == "rotate")
        {
            command.Options.Add(addKms);
            command.Options.Add(rmKms);
            command.Options.Add(addPgp);
            command.Options.Add(rmPgp);
            command.Options.Add(addAge);
            command.Options.Add(rmAge);
        }

        if (name == "updatekeys")
        {
            command.Options.Add(yes);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new SecretsArguments
            {
                File = parse.GetValue(file)!,
                InPlace = parse.GetValue(inPlace),
                Output = parse.GetValue(output),
                Kms = parse.GetValue(kms),
                Pgp = parse.GetValue(pgp),
                Age = parse.GetValue(age),
                EncryptionContext = parse.GetValue(context),
                AwsProfile = parse.GetValue(profile),
                InputType = parse.GetValue(inputType),
                OutputType = parse.GetValue(outputType),
                UnencryptedSuffix = parse.GetValue(unencryptedSuffix),
                EncryptedSuffix = parse.GetValue(encryptedSuffix),
                UnencryptedRegex = parse.GetValue(unencryptedRegex),
                EncryptedRegex = parse.GetValue(encryptedRegex),
                MacOnlyEncrypted = parse.GetValue(macOnlyEncrypted),
                ConfigPath = parse.GetValue(config),
                IgnoreMac = parse.GetValue(ignoreMac),
                AddKms = parse.GetValue(addKms),
                RemoveKms = parse.GetValue(rmKms),
                AddPgp = parse.GetValue(addPgp),
                RemovePgp = parse.GetValue(rmPgp),
                AddAge = parse.GetValue(addAge),
                RemoveAge = parse.GetValue(rmAge),
                Yes = parse.GetValue(yes),
            };
            var environment = SecretsEnvironment.FromProcess(args.AwsProfile);
            await using var stdout = Console.OpenStandardOutput();
            var runner = new SecretsRunner(environment, TimeProvider.System, stdout, Console.In, Console.Error, Directory.GetCurrentDirectory());
            try
            {
                return await run(runner, args, cancellationToken);
            }
            catch (SopsException e)
            {
                await Console.Error.WriteLineAsync($"cloudkeep secrets: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }
}
