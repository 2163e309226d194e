using Cloudkeep.Testing;

namespace Cloudkeep.Server.Tests.S3;

/// <summary>
/// The tools people already use, unchanged: the AWS CLI's high-level `aws s3` commands and
/// `aws s3api`, s3cmd and rclone (Debian's packages), each as a user would type them.
/// </summary>
public sealed class S3CliToolsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<ProcessRunner.Result> ShellAsync(string directory, string script) =>
        AwsCli.ShellAsync(fixture.Server.Endpoint, TestServer.RootAccessKeyId, TestServer.RootSecretAccessKey, directory, script);

    [Fact]
    public async Task AwsS3_MbCpSyncLsPresignRm_EndToEnd()
    {
        using var directory = new TempDirectory();
        var result = await ShellAsync(directory.Path, """
            aws() { command aws --endpoint-url "$CLOUDKEEP_ENDPOINT" "$@"; }
            mkdir -p site/css site/img
            echo '<h1>tenders</h1>' > site/index.html
            echo 'body{}' > site/css/main.css
            head -c 20000000 /dev/urandom > site/img/large.bin
            aws s3 mb s3://cli-docs > /dev/null
            aws s3 cp site/index.html s3://cli-docs/index.html --only-show-errors
            aws s3 sync site s3://cli-docs/site --only-show-errors
            echo "LS:"; aws s3 ls s3://cli-docs/site/ | awk '{print $NF}'
            echo "RECURSIVE:"; aws s3 ls s3://cli-docs --recursive | awk '{print $NF}'
            aws s3 cp s3://cli-docs/site/img/large.bin large.copy --only-show-errors
            cmp site/img/large.bin large.copy && echo "LARGE-SAME"
            url=$(aws s3 presign s3://cli-docs/index.html --expires-in 300)
            echo "PRESIGNED:$(curl -s "$url")"
            echo "ANONYMOUS:$(curl -s -o /dev/null -w '%{http_code}' "$CLOUDKEEP_ENDPOINT/cli-docs/index.html")"
            aws s3 sync site s3://cli-docs/site --delete --only-show-errors
            echo "SECOND-SYNC-UPLOADED:$(aws s3 sync site s3://cli-docs/site --dryrun | wc -l)"
            aws s3 rm s3://cli-docs --recursive --only-show-errors
            aws s3 rb s3://cli-docs > /dev/null
            echo "BUCKETS-LEFT:$(aws s3 ls | grep -c cli-docs || true)"
            """);
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var output = result.StandardOutput;
        Assert.Contains("LS:\ncss/\nimg/\nindex.html\n", output, StringComparison.Ordinal);
        Assert.Contains("RECURSIVE:\nindex.html\nsite/css/main.css\nsite/img/large.bin\nsite/index.html\n", output, StringComparison.Ordinal);
        Assert.Contains("LARGE-SAME", output, StringComparison.Ordinal);
        Assert.Contains("PRESIGNED:<h1>tenders</h1>", output, StringComparison.Ordinal);
        Assert.Contains("ANONYMOUS:403", output, StringComparison.Ordinal);
        Assert.Contains("SECOND-SYNC-UPLOADED:0", output, StringComparison.Ordinal);
        Assert.Contains("BUCKETS-LEFT:0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsS3api_PolicyMultipartAndDelimiterListing()
    {
        using var directory = new TempDirectory();
        var result = await ShellAsync(directory.Path, """
            aws() { command aws --endpoint-url "$CLOUDKEEP_ENDPOINT" --output text "$@"; }
            aws s3api create-bucket --bucket api-docs --create-bucket-configuration LocationConstraint=eu-west-2 > /dev/null
            echo "LOCATION:$(aws s3api get-bucket-location --bucket api-docs)"
            aws s3api delete-public-access-block --bucket api-docs
            aws s3api put-bucket-policy --bucket api-docs --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::api-docs/public/*"}]}'
            echo "POLICY-PUBLIC:$(aws s3api get-bucket-policy-status --bucket api-docs --query PolicyStatus.IsPublic)"
            head -c 6000000 /dev/urandom > part1
            head -c 1000 /dev/urandom > part2
            upload=$(aws s3api create-multipart-upload --bucket api-docs --key public/big.bin --query UploadId)
            e1=$(aws s3api upload-part --bucket api-docs --key public/big.bin --upload-id "$upload" --part-number 1 --body part1 --query ETag)
            e2=$(aws s3api upload-part --bucket api-docs --key public/big.bin --upload-id "$upload" --part-number 2 --body part2 --query ETag)
            aws s3api complete-multipart-upload --bucket api-docs --key public/big.bin --upload-id "$upload" \
              --multipart-upload "{\"Parts\":[{\"PartNumber\":1,\"ETag\":$e1},{\"PartNumber\":2,\"ETag\":$e2}]}" > /dev/null
            echo "SIZE:$(aws s3api head-object --bucket api-docs --key public/big.bin --query ContentLength)"
            curl -s "$CLOUDKEEP_ENDPOINT/api-docs/public/big.bin" -o anonymous.bin
            cat part1 part2 | cmp - anonymous.bin && echo "ANONYMOUS-SAME"
            echo x > small.txt
            for key in private/a private/b/c readme; do aws s3api put-object --bucket api-docs --key "$key" --body small.txt > /dev/null; done
            echo "PREFIXES:$(aws s3api list-objects-v2 --bucket api-docs --delimiter / --query 'CommonPrefixes[].Prefix' | tr '\t' ',')"
            echo "KEYS:$(aws s3api list-objects-v2 --bucket api-docs --delimiter / --query 'Contents[].Key')"
            echo "V1:$(aws s3api list-objects --bucket api-docs --prefix private/ --delimiter / --query 'CommonPrefixes[].Prefix')"
            """);
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var output = result.StandardOutput;
        Assert.Contains("LOCATION:eu-west-2", output, StringComparison.Ordinal);
        Assert.Contains("POLICY-PUBLIC:True", output, StringComparison.Ordinal);
        Assert.Contains("SIZE:6001000", output, StringComparison.Ordinal);
        Assert.Contains("ANONYMOUS-SAME", output, StringComparison.Ordinal);
        Assert.Contains("PREFIXES:private/,public/", output, StringComparison.Ordinal);
        Assert.Contains("KEYS:readme", output, StringComparison.Ordinal);
        Assert.Contains("V1:private/b/", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3cmdAndRclone_SmokeTest()
    {
        using var directory = new TempDirectory();
        var host = new Uri(fixture.Server.Endpoint).Authority;
        var result = await ShellAsync(directory.Path, $$"""
            s3cmd() { command s3cmd --config=/dev/null --access_key="$AWS_ACCESS_KEY_ID" --secret_key="$AWS_SECRET_ACCESS_KEY" --host={{host}} --host-bucket={{host}} --no-ssl --region=eu-west-1 "$@"; }
            echo hello > hello.txt
            s3cmd mb s3://tools-smoke > /dev/null
            s3cmd put hello.txt s3://tools-smoke/s3cmd/hello.txt > /dev/null
            echo "S3CMD-LS:$(s3cmd ls s3://tools-smoke/s3cmd/ | awk '{print $NF}')"
            s3cmd get s3://tools-smoke/s3cmd/hello.txt fetched.txt > /dev/null
            cmp hello.txt fetched.txt && echo "S3CMD-SAME"
            # The machine's AWS_CA_BUNDLE (if any) is for real AWS; rclone would try to load it for loopback too.
            unset AWS_CA_BUNDLE
            export RCLONE_CONFIG_CK_TYPE=s3 RCLONE_CONFIG_CK_PROVIDER=Other RCLONE_CONFIG_CK_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_CK_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
                   RCLONE_CONFIG_CK_ENDPOINT="$CLOUDKEEP_ENDPOINT" RCLONE_CONFIG_CK_REGION=eu-west-1 RCLONE_CONFIG_CK_FORCE_PATH_STYLE=true
            mkdir -p tree/sub && echo a > tree/a.txt && echo b > tree/sub/b.txt
            rclone --config /dev/null copy tree ck:tools-smoke/rclone
            echo "RCLONE-LS:$(rclone --config /dev/null lsf -R ck:tools-smoke/rclone | sort | tr '\n' ',')"
            rclone --config /dev/null check tree ck:tools-smoke/rclone && echo "RCLONE-CHECK-OK"
            """);
        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var output = result.StandardOutput;
        Assert.Contains("S3CMD-LS:s3://tools-smoke/s3cmd/hello.txt", output, StringComparison.Ordinal);
        Assert.Contains("S3CMD-SAME", output, StringComparison.Ordinal);
        Assert.Contains("RCLONE-LS:a.txt,sub/,sub/b.txt,", output, StringComparison.Ordinal);
        Assert.Contains("RCLONE-CHECK-OK", output, StringComparison.Ordinal);
    }
}
