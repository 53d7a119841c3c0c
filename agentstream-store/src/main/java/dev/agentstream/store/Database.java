package dev.agentstream.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The connection pool of one database, migrated to the current schema. Thread-safe: connections
 * are borrowed by the writer thread and by readers on any thread.
 */
final class Database implements AutoCloseable {

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");
    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

    private final HikariDataSource pool;
    private final boolean sqlite;
    private final AtomicBoolean metricsTracked = new AtomicBoolean();

    private Database(HikariDataSource pool, boolean sqlite) {
        this.pool = pool;
        this.sqlite = sqlite;
    }

    /** Opens the pool and runs the Flyway migrations; closes the pool again if they fail. */
    static Database open(StorageOptions options) {
        String url = options.jdbcUrl();
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        HikariConfig config = new HikariConfig();
        config.setPoolName("agentstream-store");
        config.setJdbcUrl(url);
        options.user().ifPresent(config::setUsername);
        options.password().ifPresent(config::setPassword);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        Optional<String> schema = Optional.empty();
        if (sqlite) {
            createParentDirectory(url);
            enableWal(url);
            // SQLite writes one transaction at a time anyway; readers run beside the writer in WAL mode.
            // A fixed-size pool: its connections are all opened here, none while runs are written.
            int size = Math.min(options.maxPoolSize(), 4);
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            // NORMAL in WAL mode survives a process crash; only an OS crash can lose the last commits.
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "10000");
            // A write transaction takes the lock at BEGIN, so it never has to upgrade a read snapshot
            // that another connection made stale (which fails at once, without waiting).
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("foreign_keys", "true");
        } else {
            config.setMaximumPoolSize(options.maxPoolSize());
            config.addDataSourceProperty("ApplicationName", "agentstream");
            silentDatabaseTimeouts(config, options);
            // One round trip per batch of inserts instead of one per row.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            schema = options.schema().or(() -> currentSchema(url));
            schema.ifPresent(config::setSchema);
        }
        HikariDataSource pool = new HikariDataSource(config);
        try {
            FluentConfiguration flyway = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration");
            schema.ifPresent(s -> flyway.schemas(s).defaultSchema(s).createSchemas(true));
            flyway.load().migrate();
            return new Database(pool, sqlite);
        } catch (RuntimeException e) {
            pool.close();
            throw new StorageException("migrating " + maskSecrets(url) + " failed", e);
        }
    }

    /**
     * Bounds every wait on a PostgreSQL server that went silent (packets dropped, not refused): a
     * statement's answer ({@code socketTimeout}), connecting and logging in (at most the pool's
     * connection timeout), and the pool's check of a borrowed connection. The driver counts seconds.
     */
    private static void silentDatabaseTimeouts(HikariConfig config, StorageOptions options) {
        long socketSeconds = seconds(options.socketTimeout());
        long connectSeconds = Math.min(socketSeconds, seconds(options.connectionTimeout()));
        config.addDataSourceProperty("socketTimeout", Long.toString(socketSeconds));
        config.addDataSourceProperty("connectTimeout", Long.toString(connectSeconds));
        config.addDataSourceProperty("loginTimeout", Long.toString(connectSeconds));
        // The pool's isValid check on borrow: below the connection timeout (the pool's rule), 5 s at most.
        config.setValidationTimeout(Math.max(250, Math.min(5_000, options.connectionTimeout().toMillis() - 1)));
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /**
     * Puts the file in WAL mode once. The mode is stored in the file, so pooled connections need
     * not ask for it again; asking can fail at once with SQLITE_BUSY while another connection writes.
     */
    private static void enableWal(String url) {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", "10000");
        try (Connection c = DriverManager.getConnection(url, properties);
             Statement statement = c.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
        } catch (SQLException e) {
            throw new StorageException("opening " + maskSecrets(url) + " failed: " + Writer.describe(e), e);
        }
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /**
     * Reports the pool's figures to {@code factory} from now on. HikariCP takes one tracker per pool:
     * a pool that already reports keeps its tracker and this returns false.
     */
    boolean trackMetrics(MetricsTrackerFactory factory) {
        if (!metricsTracked.compareAndSet(false, true)) {
            return false;
        }
        pool.setMetricsTrackerFactory(factory);
        return true;
    }

    boolean isSqlite() {
        return sqlite;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The URL with passwords replaced by {@code ***}, fit for logs and messages. */
    static String maskSecrets(String jdbcUrl) {
        String masked = PASSWORD_PARAM.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }

    /** The {@code currentSchema} parameter of a PostgreSQL URL, if there is one. */
    static Optional<String> currentSchema(String jdbcUrl) {
        Matcher m = CURRENT_SCHEMA.matcher(jdbcUrl);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void createParentDirectory(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StorageException("cannot create the directory of the SQLite file " + parent, e);
        }
    }
}
