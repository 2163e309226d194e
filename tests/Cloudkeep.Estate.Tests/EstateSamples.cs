namespace Cloudkeep.Estate.Tests;

/// <summary>Estate files several test classes use.</summary>
internal static class EstateSamples
{
    /// <summary>The management estate of <see cref="EstateApplyTests"/> plus a member account referring back to it.</summary>
    public const string Full = EstateApplyTests.Estate + "\n" + """
          production:
            email: production@example.com
            alias: example-production
            roles:
              infrastructure:
                trustPolicy:
                  Version: "2012-10-17"
                  Statement: [{Effect: Allow, Principal: {AWS: "${role.main.deployer.arn}"}, Action: "sts:AssumeRole"}]
                policies: ["arn:aws:iam::aws:policy/AdministratorAccess"]
            buckets:
              example-production-data:
                region: eu-west-2
                tags: {account: "${account.production.id}"}
        """;
}
