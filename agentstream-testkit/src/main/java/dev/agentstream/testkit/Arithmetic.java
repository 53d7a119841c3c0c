package dev.agentstream.testkit;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Evaluates arithmetic on decimals: {@code + - * /}, unary minus, parentheses. A small recursive-descent
 * parser, since the JDK has no expression evaluator:
 * <pre>
 * expression = term   { ("+" | "-") term }
 * term       = factor { ("*" | "/") factor }
 * factor     = ("-" | "+") factor | number | "(" expression ")"
 * </pre>
 * Stateless to callers; each evaluation uses its own parser instance.
 */
final class Arithmetic {

    private static final MathContext PRECISION = MathContext.DECIMAL64;

    private final String text;
    private int position;

    private Arithmetic(String text) {
        this.text = text;
    }

    /** The value of {@code expression} as plain text without trailing zeros, e.g. {@code 5} or {@code 2.5}. */
    static String evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("Cannot evaluate an empty expression");
        }
        Arithmetic parser = new Arithmetic(expression);
        BigDecimal value = parser.expression();
        parser.skipSpaces();
        if (parser.position < expression.length()) {
            throw parser.error("unexpected '" + expression.charAt(parser.position) + "'");
        }
        BigDecimal result = value.stripTrailingZeros();
        return result.signum() == 0 ? "0" : result.toPlainString();
    }

    private BigDecimal expression() {
        BigDecimal value = term();
        while (true) {
            if (consume('+')) {
                value = value.add(term(), PRECISION);
            } else if (consume('-')) {
                value = value.subtract(term(), PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal term() {
        BigDecimal value = factor();
        while (true) {
            if (consume('*')) {
                value = value.multiply(factor(), PRECISION);
            } else if (consume('/')) {
                int divisorAt = position;
                BigDecimal divisor = factor();
                if (divisor.signum() == 0) {
                    position = divisorAt;
                    throw error("division by zero");
                }
                value = value.divide(divisor, PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal factor() {
        if (consume('-')) {
            return factor().negate();
        }
        if (consume('+')) {
            return factor();
        }
        if (consume('(')) {
            BigDecimal value = expression();
            if (!consume(')')) {
                throw error("expected ')'");
            }
            return value;
        }
        return number();
    }

    private BigDecimal number() {
        skipSpaces();
        int start = position;
        while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
            position++;
        }
        if (start == position) {
            throw error(position < text.length() ? "unexpected '" + text.charAt(position) + "'" : "expected a number");
        }
        String digits = text.substring(start, position);
        try {
            return new BigDecimal(digits);
        } catch (NumberFormatException e) {
            position = start;
            throw error("malformed number '" + digits + "'");
        }
    }

    private boolean consume(char expected) {
        skipSpaces();
        if (position < text.length() && text.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(
                "Cannot evaluate \"" + text + "\": " + problem + " at position " + (position + 1));
    }
}
