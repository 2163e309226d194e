namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    private static (int Version, string Name, string Sql)[] Iam { get; } = [];
}
