using ChargerFirmware.Aggregator.Storage;
using Xunit;

namespace ChargerFirmware.Aggregator.Tests.Support;

/// <summary>The two databases the server runs on, fresh for each test: a SQLite file and a PostgreSQL database in the run's cluster.</summary>
public static class Backends
{
    /// <summary>The names, for [Theory] data.</summary>
    public static TheoryData<string> Both => new() { "sqlite", "postgres" };

    /// <summary>A new, migrated database of <paramref name="kind"/>.</summary>
    public static Database Fresh(string kind)
    {
        Database db = kind == "postgres"
            ? Database.Postgres(PostgresCluster.Instance.NewDatabase())
            : Database.Sqlite(Path.Combine(Directory.CreateTempSubdirectory("agg-test-").FullName, "aggregator.db"));
        Migrations.Apply(db);
        return db;
    }
}
