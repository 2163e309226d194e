using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Cloudkeep.Client;
using Cloudkeep.Testing;
using OtpNet;

namespace Cloudkeep.Estate.Tests;

/// <summary>
/// A bucket whose root user turned MFA delete on (over HTTPS, with a code): export writes it, and
/// a versioning change, which S3 then guards the same way, is left to root with the command to run.
/// </summary>
public sealed class EstateBucketMfaDeleteTests
{
    [Fact]
    public async Task Plan_VersioningChangeOnAnMfaDeleteBucket_IsRootsToo_AndExportKeepsMfaDelete()
    {
        // A shifted clock lets root use a fresh code after enrolling, without waiting for the next step.
        var clock = new ShiftableClock();
        await using var server = await TestServer.StartAsync(time: clock, tls: true);
        using var harness = new EstateHarness(server);
        using var http = harness.Http();
        var iam = new IamClient(http, new Uri(server.Endpoint), harness.Credentials, TimeProvider.System);
        var device = await iam.CallAsync("CreateVirtualMFADevice", [new("VirtualMFADeviceName", "root-device")], CancellationToken.None);
        var serial = IamClient.Descendant(device, "SerialNumber")!;
        var totp = new Totp(Base32Encoding.ToBytes(Encoding.ASCII.GetString(Convert.FromBase64String(IamClient.Descendant(device, "Base32StringSeed")!))));
        var now = clock.GetUtcNow().UtcDateTime;
        await iam.CallAsync("EnableMFADevice", [new("UserName", "root"), new("SerialNumber", serial), new("AuthenticationCode1", totp.ComputeTotp(now)), new("AuthenticationCode2", totp.ComputeTotp(now.AddSeconds(30)))], CancellationToken.None);
        clock.Offset += TimeSpan.FromSeconds(60);
        using var s3 = new AmazonS3Client(harness.Credentials, new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-2",
            HttpClientFactory = CaBundle.From(server.CaFile)!.SdkFactory(),
        });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "example-documents", BucketRegionName = "eu-west-2" });
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = "example-documents",
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled, EnableMfaDelete = true },
            MfaCodes = new MfaCodes { SerialNumber = serial, AuthenticationValue = totp.ComputeTotp(clock.GetUtcNow().UtcDateTime) },
        });

        var export = await harness.ExportAsync();
        var exported = harness.Write("exported.yaml", export.Output);
        var unchanged = await harness.PlanAsync(exported);
        var suspended = harness.Write("suspended.yaml", export.Output.Replace("versioning: Enabled", "versioning: Suspended", StringComparison.Ordinal));
        var plan = await harness.PlanAsync(suspended);
        var apply = await harness.ApplyAsync(suspended);

        Assert.Contains("mfaDelete: true", export.Output, StringComparison.Ordinal);
        Assert.True(unchanged.Exit == 0, unchanged.Output + unchanged.Error + export.Output);
        Assert.True(plan.Output.Contains("versioning: Enabled -> Suspended  (not applied: apply prints the command to run)", StringComparison.Ordinal), plan.Output + plan.Error);
        Assert.Equal(2, apply.Exit);
        Assert.Contains($"--versioning-configuration Status=Suspended,MFADelete=Enabled --mfa \"arn:aws:iam::{server.AccountId}:mfa/<root-mfa-device> <code>\"", apply.Output, StringComparison.Ordinal);
        Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = "example-documents" })).VersioningConfig.Status);
    }
}
