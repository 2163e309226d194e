namespace Cloudkeep.Storage.Metadata;

public static partial class Migrations
{
    // Budgets share the metering and costs range (1300-1399), after the ones metering used.
    private static (int Version, string Name, string Sql)[] Budgets { get; } =
    [
        // One row per account and budget name: the budget with its notifications, their subscribers
        // and their state as one JSON document, since AWS reads and writes them as one object
        // (CreateBudget takes them together; DeleteBudget removes them together).
        (1310, "budgets", """
            CREATE TABLE budgets (
                account_id TEXT NOT NULL,
                budget_name TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (account_id, budget_name)
            );
            """),
    ];
}
