package dev.agentstream.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Makes the SQLite and PostgreSQL invocations of a {@link BothDatabases} test, and each one's
 * database. PostgreSQL is {@code postgres@127.0.0.1:5432/test} (override with the system property
 * {@code agentstream.test.postgres}); every test gets its own schema, dropped afterwards. When
 * PostgreSQL cannot be reached the invocation is skipped, except in CI ({@code CI=true}), where it
 * fails.
 */
final class TestDatabases implements TestTemplateInvocationContextProvider {

    static final String POSTGRES = System.getProperty("agentstream.test.postgres",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3");

    private static volatile String postgresProblem;
    private static volatile boolean postgresChecked;

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(invocation("sqlite"), invocation("postgresql"));
    }

    private static TestTemplateInvocationContext invocation(String kind) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return kind;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new Fresh(kind));
            }
        };
    }

    /** A fresh database of one kind per test, passed as a {@link TestDatabase} parameter. */
    static final class Fresh implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private final String kind;
        private TestDatabase database;
        private Path directory;
        private String schema;

        Fresh(String kind) {
            this.kind = kind;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            if (kind.equals("sqlite")) {
                directory = Files.createTempDirectory("agentstream-store-test");
                database = new TestDatabase(kind, "jdbc:sqlite:" + directory.resolve("agentstream.db"));
            } else {
                requirePostgres();
                schema = "as_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                database = new TestDatabase(kind, POSTGRES + "&currentSchema=" + schema);
            }
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(Fresh::delete);
                }
            }
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return database;
        }

        private static void delete(Path path) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Skips (or, in CI, fails) the test when PostgreSQL cannot be reached. */
    static void requirePostgres() {
        if (!postgresChecked) {
            try (Connection c = DriverManager.getConnection(POSTGRES)) {
                postgresProblem = c.isValid(3) ? null : "the connection is not valid";
            } catch (SQLException e) {
                postgresProblem = e.getMessage();
            }
            postgresChecked = true;
        }
        if (postgresProblem == null) {
            return;
        }
        String message = "PostgreSQL at " + POSTGRES + " is not reachable (" + postgresProblem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; in CI the PostgreSQL tests must run");
        }
        Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
}
