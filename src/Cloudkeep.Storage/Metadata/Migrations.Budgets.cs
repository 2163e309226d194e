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

        // Budget alerts decided but not yet handed over: the evaluation writes a notification's
        // ALARM state and its messages in one transaction, so a restart neither loses an alert nor
        // decides it twice; a row goes once its e-mail is sent or its SNS message is published.
        (1320, "budget alert outbox", """
            CREATE TABLE budget_outbox (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL,
                budget_name TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL,
                message TEXT NOT NULL
            );
            CREATE INDEX budget_outbox_created ON budget_outbox (created_at);
            """),
    ];
}
