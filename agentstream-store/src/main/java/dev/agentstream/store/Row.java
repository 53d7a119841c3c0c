package dev.agentstream.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * One execution of a {@link Write}: its parameters, bound in order. Parameters are String, Long,
 * Integer, Boolean or a typed {@link Null}. Immutable.
 */
record Row(Write write, Object[] params) {

    /** A SQL NULL of a known type (PostgreSQL wants the type of a null parameter). */
    enum Null {
        TEXT(Types.VARCHAR),
        BIGINT(Types.BIGINT);

        final int sqlType;

        Null(int sqlType) {
            this.sqlType = sqlType;
        }
    }

    static Row of(Write write, Object... params) {
        return new Row(write, params);
    }

    static Object text(String value) {
        return value == null ? Null.TEXT : SqlText.clean(value);
    }

    static Object bigint(Long value) {
        return value == null ? Null.BIGINT : value;
    }

    void bind(PreparedStatement statement) throws SQLException {
        bind(statement, params);
    }

    /** Binds parameters of the kinds a {@link Row} holds. */
    static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            int index = i + 1;
            switch (params[i]) {
                case String s -> statement.setString(index, s);
                case Long l -> statement.setLong(index, l);
                case Integer n -> statement.setInt(index, n);
                case Boolean b -> statement.setBoolean(index, b);
                case Null n -> statement.setNull(index, n.sqlType);
                default -> throw new IllegalArgumentException("parameter " + index + ": "
                    + params[i].getClass().getName() + " (expected: String, Long, Integer, Boolean or Null)");
            }
        }
    }

    @Override
    public String toString() {
        // Parameters hold user content: never print them.
        return "Row[" + write + ", " + params.length + " parameters]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.write == write && Arrays.equals(r.params, params);
    }

    @Override
    public int hashCode() {
        return 31 * write.hashCode() + Arrays.hashCode(params);
    }
}
