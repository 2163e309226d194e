namespace Cloudkeep.Storage.Changes;

/// <summary>
/// The triggers that tell every node what changed. Each sends NOTIFY from inside the changing
/// transaction, and PostgreSQL delivers a notification only when (and if) that transaction commits:
/// no node hears of a change before it can read it, none misses a committed one while listening, and
/// every path that writes these tables is covered (operations, the console, an estate restore).
/// Identical notifications of one transaction are delivered once, so a bulk change sends one per name.
/// Payloads name what changed (an access key id, an account id, a bucket name), never a secret.
/// Installed after the migrations on every start, only where missing: creating a trigger locks its table.
/// </summary>
public static class PostgresChangeTriggers
{
    public const string Channel = "cloudkeep_invalidate";

    // (trigger, table, events, payload kind, column naming what changed). Access keys notify only on the
    // columns that decide whether a key works: last-used is written on the request path.
    private static readonly (string Trigger, string Table, string Events, string Kind, string Column)[] Triggers =
    [
        ("cloudkeep_notify_access_keys", "access_keys", "INSERT OR DELETE OR UPDATE OF status, user_name, account_id, secret_sealed", "key", "access_key_id"),
        ("cloudkeep_notify_iam_entities", "iam_entities", "INSERT OR DELETE OR UPDATE", "iam", "account_id"),
        ("cloudkeep_notify_accounts", "accounts", "INSERT OR DELETE OR UPDATE", "account", "account_id"),
        ("cloudkeep_notify_s3_buckets", "s3_buckets", "INSERT OR DELETE OR UPDATE OF config", "bucket", "name"),
        ("cloudkeep_notify_route53_zones", "route53_zones", "INSERT OR DELETE OR UPDATE", "route53", "zone_id"),
        ("cloudkeep_notify_route53_record_sets", "route53_record_sets", "INSERT OR DELETE OR UPDATE", "route53", "zone_id"),
    ];

    /// <summary>The statements installing the function and the triggers, safe to run on every start.</summary>
    public static string Sql()
    {
        var sql = new System.Text.StringBuilder(
            $$"""
            CREATE OR REPLACE FUNCTION cloudkeep_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE
                current_name text;
                previous_name text;
            BEGIN
                IF TG_OP <> 'DELETE' THEN
                    current_name := to_jsonb(NEW) ->> TG_ARGV[1];
                    PERFORM pg_notify('{{Channel}}', TG_ARGV[0] || ':' || coalesce(current_name, ''));
                END IF;
                IF TG_OP <> 'INSERT' THEN
                    previous_name := to_jsonb(OLD) ->> TG_ARGV[1];
                    IF previous_name IS DISTINCT FROM current_name THEN
                        PERFORM pg_notify('{{Channel}}', TG_ARGV[0] || ':' || coalesce(previous_name, ''));
                    END IF;
                END IF;
                RETURN NULL;
            END
            $fn$;

            """);
        foreach (var (trigger, table, events, kind, column) in Triggers)
        {
            sql.Append(
                $"""
                DO $do$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{trigger}' AND tgrelid = '{table}'::regclass) THEN
                        CREATE TRIGGER {trigger} AFTER {events} ON {table}
                            FOR EACH ROW EXECUTE FUNCTION cloudkeep_notify_change('{kind}', '{column}');
                    END IF;
                END
                $do$;

                """);
        }

        return sql.ToString();
    }
}
