package dev.agentstream.store;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How to open {@link Storage}: the database, this node's name, and the timings of incremental
 * storage. Immutable; made with {@link #builder()}.
 *
 * <p>Only {@link Builder#jdbcUrl} is required. A {@code jdbc:sqlite:} URL selects the embedded
 * SQLite store (one file, WAL); a {@code jdbc:postgresql:} URL selects PostgreSQL.
 */
public final class StorageOptions {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final String nodeId;
    private final Duration flushInterval;
    private final Duration maxFlushInterval;
    private final Duration leaseDuration;
    private final Duration recoveryInterval;
    private final Duration syncTimeout;
    private final Duration connectionTimeout;
    private final Duration socketTimeout;
    private final Duration closeGrace;
    private final Duration idempotencyKeyTtl;
    private final int historyRuns;
    private final int maxPoolSize;
    private final Clock clock;

    private StorageOptions(Builder b) {
        this.jdbcUrl = requireNonNull(b.jdbcUrl, "jdbcUrl");
        this.user = b.user;
        this.password = b.password;
        this.schema = b.schema;
        this.nodeId = b.nodeId != null ? b.nodeId : defaultNodeId();
        this.flushInterval = b.flushInterval;
        this.maxFlushInterval = b.maxFlushInterval != null
            ? max(b.maxFlushInterval, b.flushInterval) : max(DEFAULT_MAX_FLUSH_INTERVAL, b.flushInterval);
        this.leaseDuration = b.leaseDuration;
        this.recoveryInterval = b.recoveryInterval != null ? b.recoveryInterval : b.leaseDuration;
        this.syncTimeout = b.syncTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.socketTimeout = b.socketTimeout;
        this.closeGrace = b.closeGrace;
        this.idempotencyKeyTtl = b.idempotencyKeyTtl;
        this.historyRuns = b.historyRuns;
        this.maxPoolSize = b.maxPoolSize;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The PostgreSQL schema to use (created if missing), if set here rather than in the URL. */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    /** The longest the flush interval stretches to while flushes are slow (see {@link Builder#maxFlushInterval}). */
    public Duration maxFlushInterval() {
        return maxFlushInterval;
    }

    public Duration leaseDuration() {
        return leaseDuration;
    }

    public Duration recoveryInterval() {
        return recoveryInterval;
    }

    public Duration syncTimeout() {
        return syncTimeout;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** PostgreSQL only: how long one answer of the database may take before its connection is given up. */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    public Duration closeGrace() {
        return closeGrace;
    }

    public Duration idempotencyKeyTtl() {
        return idempotencyKeyTtl;
    }

    public int historyRuns() {
        return historyRuns;
    }

    public int maxPoolSize() {
        return maxPoolSize;
    }

    public Clock clock() {
        return clock;
    }

    private static String defaultNodeId() {
        // "pid@host", as the JVM names itself; unique enough per process and readable in the runs table.
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    private static final Duration DEFAULT_MAX_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** Far above any statement agentstream runs, far below the minutes a dead socket takes the OS. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Builds {@link StorageOptions}; not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private String schema;
        private String nodeId;
        private Duration flushInterval = Duration.ofMillis(200);
        private Duration maxFlushInterval;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration recoveryInterval;
        private Duration syncTimeout = Duration.ofSeconds(10);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration closeGrace = Duration.ofSeconds(2);
        private Duration idempotencyKeyTtl = Duration.ofHours(24);
        private int historyRuns = 10;
        private int maxPoolSize = 8;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db[?currentSchema=s]}. */
        public Builder jdbcUrl(String jdbcUrl) {
            requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl: " + Database.maskSecrets(jdbcUrl)
                    + " (expected: jdbc:sqlite:… or jdbc:postgresql:…)");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder user(String user) {
            this.user = requireNonNull(user, "user");
            return this;
        }

        public Builder password(String password) {
            this.password = requireNonNull(password, "password");
            return this;
        }

        /** PostgreSQL only: the schema for agentstream's tables, created if missing. */
        public Builder schema(String schema) {
            requireNonNull(schema, "schema");
            if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema: " + schema + " (expected: an unquoted SQL identifier)");
            }
            this.schema = schema;
            return this;
        }

        /** This process's name in the runs it owns; default {@code pid@host}. Must differ between live nodes. */
        public Builder nodeId(String nodeId) {
            requireNonNull(nodeId, "nodeId");
            if (nodeId.isBlank()) {
                throw new IllegalArgumentException("nodeId: blank (expected: a name)");
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * How often buffered content is written (default 200 ms) while the writer keeps up; see
         * {@link #maxFlushInterval}. A stored answer lags the stream by about one interval.
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /**
         * How far the flush interval may stretch when flushing every live run takes more than a
         * quarter of it (default 1 s, and never below the flush interval; equal to it to keep the
         * interval fixed). With many live runs this bounds the writer's share of the CPU, at the cost
         * of stored answers lagging the stream by up to this much. A run's start and end are still
         * committed at once.
         */
        public Builder maxFlushInterval(Duration interval) {
            this.maxFlushInterval = positive(interval, "maxFlushInterval");
            return this;
        }

        /** How long a run stays owned without renewal before any node may mark it INTERRUPTED (default 30 s). */
        public Builder leaseDuration(Duration lease) {
            this.leaseDuration = positive(lease, "leaseDuration");
            return this;
        }

        /** How often this node looks for runs whose lease expired (default: the lease duration). */
        public Builder recoveryInterval(Duration interval) {
            this.recoveryInterval = positive(interval, "recoveryInterval");
            return this;
        }

        /** How long a run's start or end waits for its commit before giving up (default 10 s). */
        public Builder syncTimeout(Duration timeout) {
            this.syncTimeout = positive(timeout, "syncTimeout");
            return this;
        }

        /**
         * How long a read or a flush waits for a connection from the pool (default 10 s, at least
         * 250 ms): while the database is away, how soon the writer notices and a read fails.
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = atLeast(timeout, "connectionTimeout", 250, "250 ms");
            return this;
        }

        /**
         * PostgreSQL only: how long the database may send nothing while a statement waits for its
         * answer, or while a connection logs in, before the connection is given up (default 30 s,
         * whole seconds, at least 1 s). Without it a database that goes silent (packets dropped, not
         * refused) blocks the writer until the operating system gives up on the socket, many minutes
         * later; with it the write fails, is retried on a fresh connection, and the outage counts
         * against the persist grace. Keep it longer than any statement takes: agentstream's own are
         * single-row or indexed and take milliseconds. A {@code socketTimeout} in the JDBC URL wins.
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = atLeast(timeout, "socketTimeout", 1000, "1 s; the driver counts seconds");
            return this;
        }

        /**
         * How long {@link Storage#close()} keeps recording runs that are still live, so that the
         * ends of runs a closing runtime just cancelled are stored (default 2 s; zero to stop at once).
         */
        public Builder closeGrace(Duration grace) {
            requireNonNull(grace, "closeGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGrace: " + grace + " (expected: >= 0)");
            }
            this.closeGrace = grace;
            return this;
        }

        /** How long an idempotency key keeps pointing at its run (default 24 h). */
        public Builder idempotencyKeyTtl(Duration ttl) {
            this.idempotencyKeyTtl = positive(ttl, "idempotencyKeyTtl");
            return this;
        }

        /** How many earlier runs of a session a new run sees as history (default 10; 0 for none). */
        public Builder historyRuns(int runs) {
            if (runs < 0) {
                throw new IllegalArgumentException("historyRuns: " + runs + " (expected: >= 0)");
            }
            this.historyRuns = runs;
            return this;
        }

        /** Connections in the pool (default 8; SQLite uses at most 4: it has one writer anyway). */
        public Builder maxPoolSize(int size) {
            if (size < 2) {
                throw new IllegalArgumentException("maxPoolSize: " + size + " (expected: >= 2)");
            }
            this.maxPoolSize = size;
            return this;
        }

        /** The clock of stored timestamps and leases (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        public StorageOptions build() {
            return new StorageOptions(this);
        }

        private static Duration atLeast(Duration value, String name, long minMillis, String min) {
            positive(value, name);
            if (value.toMillis() < minMillis) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + min + ")");
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
