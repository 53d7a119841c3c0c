package dev.agentstream.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test twice: on a fresh SQLite file in a temporary directory and on a fresh schema of the
 * PostgreSQL at 127.0.0.1:5432. The test takes a {@link TestDatabase} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(TestDatabases.class)
@interface BothDatabases {
}
