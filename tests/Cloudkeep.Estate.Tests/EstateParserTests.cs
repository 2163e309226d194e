
namespace Cloudkeep.Estate.Tests;

public sealed class EstateParserTests
{
    private const string Valid = """
        accounts:
          main:
            management: true
            alias: example-estate
            passwordPolicy:
              minimumPasswordLength: 14
              requireSymbols: true
            policies:
              read-assets:
                description: Read the assets bucket
                document:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: ${bucket.main.example-assets.arn}/*
            groups:
              developers:
                policies: [read-assets, arn:aws:iam::aws:policy/ReadOnlyAccess]
                inlinePolicies:
                  self: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}'
            users:
              alice:
                path: /people/
                tags: {team: web}
                groups: [developers]
            buckets:
              example-assets:
                region: eu-west-2
                tags: {env: prod}
        """;

    [Fact]
    public void Parse_Encryption_ShorthandAndMapping_AreOneCanonicalShape()
    {
        var document = EstateParser.Parse("""
            accounts:
              main:
                management: true
                keys:
                  state: {}
                buckets:
                  short: {encryption: AES256}
                  long: {encryption: {algorithm: AES256, bucketKey: false}}
                  kms: {encryption: {algorithm: "aws:kms", kmsKeyId: "${key.main.state.arn}", bucketKey: true}}
                  unmanaged: {}
            """, ".");

        string? Encryption(string bucket) => document.Resources.Single(r => r.Kind == ResourceKind.Bucket && r.Name == bucket).Fields.GetValueOrDefault("encryption");
        Assert.Equal("""{"algorithm":"AES256","bucketKey":false}""", Encryption("short"));
        Assert.Equal(Encryption("short"), Encryption("long"));
        Assert.Equal("""{"algorithm":"aws:kms","bucketKey":true,"kmsKeyId":"${key.main.state.arn}"}""", Encryption("kms"));
        Assert.Null(Encryption("unmanaged"));
    }

    [Fact]
    public void Parse_Replication_NamesOfTheFileBecomeReferences_AndDefaultsAreFilledIn()
    {
        var document = EstateParser.Parse("""
            accounts:
              main:
                management: true
                roles:
                  replication: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: "sts:AssumeRole"}]}}
                buckets:
                  source:
                    versioning: Enabled
                    replication:
                      role: replication
                      rules:
                        - {id: declared, priority: 2, prefix: "", destination: {bucket: replica}}
                        - {id: by-arn, priority: 1, filter: {prefix: docs/, tags: {k: v}}, destination: {bucket: "arn:aws:s3:::replica", storageClass: STANDARD_IA}}
                        - {id: elsewhere, priority: 3, status: Disabled, deleteMarkerReplication: true, destination: {bucket: not-in-the-file, account: "123456789012", ownerOverride: true}}
                  by-arn:
                    replication: {role: "arn:aws:iam::${account.main.id}:role/replication", rules: [{id: a, destination: {bucket: replica}}]}
                  removed: {replication: []}
                  also-removed: {replication: {}}
              backups:
                email: backups@example.com
                buckets:
                  replica: {region: eu-west-2, versioning: Enabled}
            """, ".");

        string? Replication(string bucket) => document.Resources.Single(r => r.Kind == ResourceKind.Bucket && r.Name == bucket).Fields.GetValueOrDefault("replication");
        Assert.Equal(
            """{"role":"${role.main.replication.arn}","rules":[""" +
            """{"deleteMarkerReplication":false,"destination":{"bucket":"${bucket.backups.replica.arn}"},"id":"declared","priority":2,"status":"Enabled"},""" +
            """{"deleteMarkerReplication":false,"destination":{"bucket":"${bucket.backups.replica.arn}","storageClass":"STANDARD_IA"},"filter":{"prefix":"docs/","tags":{"k":"v"}},"id":"by-arn","priority":1,"status":"Enabled"},""" +
            """{"deleteMarkerReplication":true,"destination":{"account":"123456789012","bucket":"arn:aws:s3:::not-in-the-file","ownerOverride":true},"id":"elsewhere","priority":3,"status":"Disabled"}]}""",
            Replication("source"));
        Assert.StartsWith("""{"role":"arn:aws:iam::${account.main.id}:role/replication","rules":[""", Replication("by-arn"), StringComparison.Ordinal);
        Assert.Equal("{}", Replication("removed"));
        Assert.Equal("{}", Replication("also-removed"));
        Assert.Null(Replication("replica"));
    }

    [Fact]
    public void Parse_Replication_RoleNameTheAccountDoesNotDeclare_IsOneErrorWithItsLine()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main:
                management: true
                buckets:
                  source:
                    versioning: Enabled
                    replication: {role: replicator, rules: [{id: a, destination: {bucket: somewhere-else}}]}
                roles:
                  replication: {trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: s3.amazonaws.com}, Action: "sts:AssumeRole"}]}}
            """, "."));

        Assert.Equal(["line 7: accounts.main.buckets.source.replication.role: no role 'replicator' is declared in account 'main'; did you mean 'replication'? (name a role the file does not declare by its ARN)"], error.Errors);
    }

    [Fact]
    public void Parse_Replication_IntoABucketOfTheFileThatIsNotVersioned_IsReported()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main:
                management: true
                buckets:
                  source:
                    versioning: Enabled
                    replication: {role: "arn:aws:iam::123456789012:role/r", rules: [{id: a, destination: {bucket: replica}}]}
                  replica: {versioning: Suspended}
            """, "."));

        Assert.Equal(["line 7: accounts.main.buckets.source.replication: rule 'a': S3 replicates only into a bucket with versioning Enabled (bucket main/replica says Suspended)"], error.Errors);
    }

    [Fact]
    public void Parse_ValidFile_FlattensEveryResource()
    {
        var document = EstateParser.Parse(Valid, ".");

        Assert.Equal(["policy main/read-assets", "group-policy main/developers/self", "group main/developers", "user main/alice", "bucket main/example-assets", "account-settings main"],
            document.Resources.Select(r => r.Address).ToArray());
        var group = document.Resources.Single(r => r.Kind == ResourceKind.Group);
        Assert.Equal("""["${policy.main.read-assets.arn}","arn:aws:iam::aws:policy/ReadOnlyAccess"]""", group.Fields["policies"]);
        var settings = document.Resources.Single(r => r.Kind == ResourceKind.AccountSettings);
        Assert.Equal("14", settings.Fields["passwordPolicy.minimumPasswordLength"]);
        Assert.Equal("true", settings.Fields["passwordPolicy.requireSymbols"]);
    }

    [Fact]
    public void Parse_YamlAndJsonDocuments_GiveTheSameCanonicalText()
    {
        var yaml = EstateParser.Parse("""
            accounts:
              main:
                management: true
                policies:
                  p:
                    document:
                      Version: "2012-10-17"
                      Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
            """, ".");
        var json = EstateParser.Parse("""
            accounts:
              main:
                management: true
                policies:
                  p:
                    document: '{ "Statement": [ { "Resource": "*", "Action": "s3:*", "Effect": "Allow" } ], "Version": "2012-10-17" }'
            """, ".");

        Assert.Equal(yaml.Resources[0].Fields["document"], json.Resources[0].Fields["document"]);
    }

    [Fact]
    public void Parse_DocumentFromFile_ReadsItRelativeToTheEstateFile()
    {
        var directory = Directory.CreateTempSubdirectory("cloudkeep-estate-parse-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "trust.yaml"), "Version: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n    Principal: {Service: ec2.amazonaws.com}\n    Action: sts:AssumeRole\n");
            var document = EstateParser.Parse("""
                accounts:
                  main:
                    management: true
                    roles:
                      web:
                        trustPolicy: trust.yaml
                """, directory.FullName);

            Assert.Contains("ec2.amazonaws.com", document.Resources[0].Fields["trustPolicy"], StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_InvalidFile_ReportsEveryProblemTogether()
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse("""
            accounts:
              main:
                management: true
                alias: Not_An_Alias
                colour: blue
                users:
                  alice:
                    path: no-slashes
                    groups: [admins]
                roles:
                  web:
                    maxSessionDuration: 60
                    policies: ["${policy.main.missing.arn}"]
                buckets:
                  Bad_Bucket: {}
              production:
                roles: {}
            """, "."));

        var text = string.Join("\n", error.Errors);
        Assert.Contains("accounts.main.alias", text, StringComparison.Ordinal);
        Assert.Contains("accounts.main.colour: unknown key", text, StringComparison.Ordinal);
        Assert.Contains("accounts.main.users.alice.path", text, StringComparison.Ordinal);
        Assert.Contains("accounts.main.roles.web.maxSessionDuration", text, StringComparison.Ordinal);
        Assert.Contains("accounts.main.roles.web: 'trustPolicy' is required", text, StringComparison.Ordinal);
        Assert.Contains("no policy 'missing' is declared in account 'main'", text, StringComparison.Ordinal);
        Assert.Contains("'Bad_Bucket' is not a valid name", text, StringComparison.Ordinal);
        Assert.Contains("accounts.production: a member account needs 'email'", text, StringComparison.Ordinal);
        Assert.True(error.Errors.Count >= 8, text);
    }

    [Fact]
    public void Parse_IamPolicyVariable_IsNotAnEstateReference()
    {
        var document = EstateParser.Parse("""
            accounts:
              main:
                management: true
                policies:
                  self:
                    document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}"}]}
            """, ".");

        Assert.Contains("user/${aws:username}", document.Resources[0].Fields["document"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${account.nowhere.id}", "no account 'nowhere'")]
    [InlineData("${role.main.ghost.arn}", "no role 'ghost'")]
    [InlineData("${role.main.web.name}", "expected account.NAME.id")]
    public void Parse_BadReference_IsReported(string reference, string expected)
    {
        var error = Assert.Throws<EstateValidationException>(() => EstateParser.Parse($$"""
            accounts:
              main:
                management: true
                roles:
                  web:
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "{{reference}}"}, Action: "sts:AssumeRole"}]}
            """, "."));

        Assert.Contains(error.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
