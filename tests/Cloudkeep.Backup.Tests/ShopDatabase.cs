using Cloudkeep.Testing;
using Npgsql;

namespace Cloudkeep.Backup.Tests;

/// <summary>A database with a small marketplace schema in it, and a fingerprint of its contents to compare after a restore.</summary>
internal static class ShopDatabase
{
    public static readonly string[] Tables = ["suppliers", "services", "briefs"];

    public static async Task<string> CreateAsync(int suppliers = 500)
    {
        var url = await PostgresServer.CreateDatabaseAsync();
        await ExecuteAsync(url, $"""
            CREATE TABLE suppliers (id serial PRIMARY KEY, name text NOT NULL, duns char(9), created timestamptz NOT NULL DEFAULT now());
            CREATE TABLE services (id bigserial PRIMARY KEY, supplier_id int NOT NULL REFERENCES suppliers(id), lot text NOT NULL, price numeric(10,2), data jsonb, document bytea);
            CREATE TABLE briefs (id serial PRIMARY KEY, title text NOT NULL, body text);
            CREATE INDEX services_lot ON services(lot);
            CREATE VIEW cloud_hosting AS SELECT * FROM services WHERE lot = 'cloud-hosting';
            INSERT INTO suppliers (name, duns, created)
                SELECT 'Supplier ' || i || ' — Ltd ✓', lpad(i::text, 9, '0'), timestamptz '2026-01-01' + i * interval '1 hour' FROM generate_series(1, {suppliers}) i;
            INSERT INTO services (supplier_id, lot, price, data, document)
                SELECT 1 + i % {suppliers}, (ARRAY['cloud-hosting','cloud-software','cloud-support'])[1 + i % 3], i * 1.5,
                       jsonb_build_object('n', i, 'tags', jsonb_build_array('a', i::text)), decode(md5(i::text), 'hex')
                FROM generate_series(1, {suppliers * 4}) i;
            INSERT INTO briefs (title, body) SELECT 'Brief ' || i, repeat(E'line with \t tab and ''quote''\n', i % 20) FROM generate_series(1, 200) i;
            """);
        return url;
    }

    /// <summary>Each table's row count and an MD5 over its rows in key order, plus the sequences' positions.</summary>
    public static async Task<string> FingerprintAsync(string url)
    {
        var parts = new List<string>();
        await using var connection = new NpgsqlConnection(Npgsql(url));
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM {table} t", connection);
            parts.Add($"{table}={await command.ExecuteScalarAsync()}");
        }

        await using var sequences = new NpgsqlCommand("SELECT string_agg(sequencename || '=' || coalesce(last_value::text, 'null'), ',' ORDER BY sequencename) FROM pg_sequences", connection);
        parts.Add($"sequences={await sequences.ExecuteScalarAsync()}");
        return string.Join(' ', parts);
    }

    /// <summary>The names of the tables in the public schema.</summary>
    public static async Task<int> TableCountAsync(string url)
    {
        await using var connection = new NpgsqlConnection(Npgsql(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(Npgsql(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the database, as losing it would.</summary>
    public static async Task DropAsync(string url)
    {
        var uri = new Uri(url);
        var name = uri.AbsolutePath.Trim('/');
        await using var connection = new NpgsqlConnection($"Host={uri.Host};Port={uri.Port};Username=postgres;Database=postgres");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Npgsql(string url)
    {
        var uri = new Uri(url);
        return $"Host={uri.Host};Port={uri.Port};Username={uri.UserInfo};Database={uri.AbsolutePath.Trim('/')};Pooling=false";
    }
}
