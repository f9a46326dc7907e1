using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChargerFirmware.Aggregator.Storage;

/// <summary>
/// The server's one database: SQLite in a file (the default, nothing to install) or PostgreSQL
/// (several instances share it). Work runs in short transactions through <see cref="Write{T}"/>
/// and <see cref="Read{T}"/>; a transaction that loses a race (PostgreSQL serialization failure or
/// deadlock) is run again from the start, so the work must only touch the database.
/// </summary>
public sealed class Database
{
    private const int Attempts = 5;
    private readonly string _connectionString;

    private Database(Dialect dialect, string connectionString, string description)
    {
        Dialect = dialect;
        _connectionString = connectionString;
        Description = description;
    }

    /// <summary>The SQL dialect.</summary>
    public Dialect Dialect { get; }

    /// <summary>What it is, for logs ("sqlite /tmp/x.db", "postgres 127.0.0.1:5432/agg"); never the password.</summary>
    public string Description { get; }

    /// <summary>A SQLite database in <paramref name="path"/> (created when missing), in WAL mode.</summary>
    public static Database Sqlite(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 };
        var db = new Database(Dialect.Sqlite, builder.ToString(), "sqlite " + full);
        using DbConnection connection = db.Open();
        using DbCommand wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        wal.ExecuteNonQuery();
        return db;
    }

    /// <summary>A PostgreSQL database by an Npgsql connection string ("Host=…;Port=…;Username=…;Database=…").</summary>
    public static Database Postgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new Database(Dialect.Postgres, builder.ConnectionString, $"postgres {builder.Host}:{builder.Port}/{builder.Database}");
    }

    /// <summary>An open connection (pooled); the caller disposes it.</summary>
    public DbConnection Open()
    {
        DbConnection connection = Dialect == Dialect.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        connection.Open();
        if (connection is SqliteConnection sqlite)
        {
            using SqliteCommand pragma = sqlite.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it; retried when it lost a race.</summary>
    public T Write<T>(Func<Tx, T> work) => Run(work, write: true);

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it.</summary>
    public void Write(Action<Tx> work) => Run<object?>(tx =>
    {
        work(tx);
        return null;
    }, write: true);

    /// <summary>Runs <paramref name="work"/> in a read-only snapshot.</summary>
    public T Read<T>(Func<Tx, T> work) => Run(work, write: false);

    private T Run<T>(Func<Tx, T> work, bool write)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using DbConnection connection = Open();
                // SQLite: IMMEDIATE for writers (no lock upgrade deadlocks), DEFERRED for readers (WAL snapshots).
                using DbTransaction transaction = connection is SqliteConnection sqlite
                    ? sqlite.BeginTransaction(deferred: !write)
                    : connection.BeginTransaction(IsolationLevel.ReadCommitted);
                var tx = new Tx(connection, transaction, Dialect);
                T result = work(tx);
                transaction.Commit();
                return result;
            }
            catch (PostgresException e) when (attempt < Attempts && e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                Thread.Sleep(Random.Shared.Next(5, 20 * attempt));
            }
        }
    }
}

/// <summary>One open transaction: SQL with named parameters (<c>@name</c>), in the database's dialect.</summary>
public sealed class Tx
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    internal Tx(DbConnection connection, DbTransaction transaction, Dialect dialect)
    {
        _connection = connection;
        _transaction = transaction;
        Dialect = dialect;
    }

    /// <summary>The dialect of the database.</summary>
    public Dialect Dialect { get; }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        return command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null.</summary>
    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        object? value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>The first column of the first row as a long, or null.</summary>
    public long? Long(string sql, params (string Name, object? Value)[] args) =>
        Scalar(sql, args) is { } value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Every row, mapped by <paramref name="map"/>.</summary>
    public List<T> Query<T>(string sql, Func<Row, T> map, params (string Name, object? Value)[] args)
    {
        using DbCommand command = Command(sql, args);
        using DbDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        var row = new Row(reader);
        while (reader.Read())
        {
            rows.Add(map(row));
        }

        return rows;
    }

    /// <summary>The first row mapped by <paramref name="map"/>, or default.</summary>
    public T? First<T>(string sql, Func<Row, T> map, params (string Name, object? Value)[] args)
    {
        List<T> rows = Query(sql, map, args);
        return rows.Count > 0 ? rows[0] : default;
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] args)
    {
        DbCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = Dialect.Apply(sql);
        foreach ((string name, object? value) in args)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value switch
            {
                null => DBNull.Value,
                bool b => b ? 1L : 0L,
                int i => (long)i,
                _ => value,
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

/// <summary>Typed access to the current row of a query, by column name.</summary>
public sealed class Row
{
    private readonly DbDataReader _reader;

    internal Row(DbDataReader reader) => _reader = reader;

    /// <summary>A BIGINT column.</summary>
    public long Long(string column) => Convert.ToInt64(_reader[column], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A nullable BIGINT column.</summary>
    public long? LongOrNull(string column) => _reader[column] is DBNull ? null : Long(column);

    /// <summary>An INTEGER/BIGINT column as an int.</summary>
    public int Int(string column) => checked((int)Long(column));

    /// <summary>A nullable int column.</summary>
    public int? IntOrNull(string column) => _reader[column] is DBNull ? null : Int(column);

    /// <summary>A 0/1 flag.</summary>
    public bool Bool(string column) => Long(column) != 0;

    /// <summary>A TEXT column (null stays null).</summary>
    public string? Text(string column) => _reader[column] is DBNull ? null : (string)_reader[column];

    /// <summary>A TEXT column that is never null.</summary>
    public string String(string column) => Text(column) ?? string.Empty;
}
