using Cloudkeep.Testing;

namespace Cloudkeep.Estate.Tests;

/// <summary>export writes the live estate; export, apply on an empty server, export again gives the same file.</summary>
public sealed class EstateExportTests
{
    [Fact]
    public async Task Export_AppliedOnAnEmptyServer_ExportsTheSameFileAgain()
    {
        string first;
        await using (var source = await TestServer.StartAsync())
        {
            using var harness = new EstateHarness(source);
            await harness.UseAdministratorAsync();
            var applied = await harness.ApplyAsync(harness.Write("estate.yaml", EstateSamples.Full));
            Assert.True(applied.Exit == 0, applied.Output + applied.Error);
            var export = await harness.ExportAsync();
            Assert.True(export.Exit == 0, export.Error);
            first = export.Output;
        }

        Assert.Contains("${role.main.deployer.arn}", first, StringComparison.Ordinal);
        Assert.Contains("${account.production.id}", first, StringComparison.Ordinal);
        Assert.DoesNotContain("111122223333", first, StringComparison.Ordinal);
        Assert.DoesNotContain("tags: {}", first, StringComparison.Ordinal);

        await using var target = await TestServer.StartAsync(accountId: "444455556666");
        using var again = new EstateHarness(target);
        await again.UseAdministratorAsync();
        var file = again.Write("exported.yaml", first);
        var apply = await again.ApplyAsync(file);
        Assert.True(apply.Exit == 0, apply.Output + apply.Error);
        Assert.Equal(0, (await again.PlanAsync(file)).Exit);
        var second = await again.ExportAsync();

        Assert.Equal(first, second.Output);
    }
}
