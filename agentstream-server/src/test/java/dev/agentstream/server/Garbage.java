package dev.agentstream.server;

import dev.agentstream.server.GeneratedBadInputTest.Body;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The generators of {@link GeneratedBadInputTest}: ids, bodies, headers and queries that no route may accept.
 * Every body is wrong for every route that reads one (malformed, of the wrong shape, or declared as
 * the wrong type), so a request that starts a run is a bug, whatever route it reached.
 */
final class Garbage {

    /** A valid body of each JSON format: native start, OpenAI, AG-UI, AI SDK, native continue. */
    static final List<String> TEMPLATES = List.of(
        "{\"message\":\"hi\",\"stream\":false}",
        "{\"model\":\"assistant\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false}",
        "{\"threadId\":\"t1\",\"runId\":\"r1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"tools\":[],\"context\":[],\"state\":{},\"forwardedProps\":{}}",
        "{\"id\":\"chat1\",\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
            + "\"trigger\":\"submit-message\"}",
        "{\"tools\":[{\"tool_call_id\":\"c1\",\"confirmed\":true}],\"stream\":false}");

    /** Values of the wrong type for any field, huge numbers among them. */
    static final List<String> WRONG_VALUES = List.of("123", "true", "[]", "{}", "null", "\"\"", "1e999999",
        "-123456789012345678901234567890", "123456789012345678901234567890.5e400", "[[[[[[[[]]]]]]]]", "-0.0");

    /** Ids sent as they are: the HTTP layer must refuse or route them, never fail. */
    private static final Set<String> RAW_IDS = Set.of("%00", "a%ZZ", "%2e%2e", "..", ".", "x/y", "%2F..%2F", "%", "%u0000");

    private static final List<String> SPECIAL_IDS = List.of("../../etc/passwd", "..", ".", "%2e%2e", "' OR '1'='1",
        "\"; DROP TABLE runs; --", "1; DELETE FROM sessions", "{run_id}", "*", "%", "%00", "a%ZZ", "null", "-1", "0",
        "ünïcödé", "😀", "a b", "x/y", "%2F..%2F", "\\..\\..\\windows", "<script>alert(1)</script>", "${jndi:ldap://x}",
        "", "%u0000", "run_" + "9".repeat(40));

    private static final List<String> GARBAGE_VALUES = List.of("-1", "abc", "99999999999999999999", "1e3", "0x10", " ",
        "NaN", "９", "\u00ff\u00fe", "../../etc", "' OR 1=1 --", "1.5", "+1", "0", "18446744073709551616", "\"1\"",
        "x".repeat(9000));

    private Garbage() {
    }

    static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
            Arbitraries.of(SPECIAL_IDS),
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.strings().withChars("a/.%'\";-_ \\").ofMaxLength(20),
            Arbitraries.strings().alpha().ofMinLength(300).ofMaxLength(3000));
    }

    /** The id as it goes into the path: percent-encoded, unless it is one of those sent raw. */
    static String encodeId(String id) {
        return RAW_IDS.contains(id) ? id : URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Whether a path with this id reaches a route: not when the HTTP layer normalises or refuses it first. */
    static boolean reachesRoute(String id) {
        return !RAW_IDS.contains(id) && !id.isEmpty() && !id.contains("/") && !id.contains("\\") && !id.equals(".")
            && !id.equals("..") && id.chars().noneMatch(Character::isISOControl);
    }

    /**
     * Whether the HTTP layer reads past this header to route the request: not one too long, one with
     * a blank value, or framing it cannot take. It refuses those itself, in the native error shape.
     */
    static boolean readableHeader(String header) {
        return header.length() < 8000 && !header.substring(header.indexOf(':') + 1).isBlank()
            && !header.startsWith("Transfer-Encoding") && !header.startsWith("Expect");
    }

    static Arbitrary<Body> bodies() {
        Arbitrary<String> jsonType = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just("application/json")),
            Tuple.of(2, Arbitraries.just((String) null)),
            Tuple.of(1, Arbitraries.of("application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.x+json")));
        Arbitrary<String> template = Arbitraries.of(TEMPLATES);
        return Arbitraries.oneOf(
            jsonType.map(type -> body(type, "", "empty")),
            Combinators.combine(jsonType, template, Arbitraries.doubles().between(0.05, 0.95))
                .as((type, json, cut) -> body(type, json.substring(0, Math.max(1, (int) (json.length() * cut))), "truncated")),
            Combinators.combine(jsonType, Arbitraries.of("[]", "\"text\"", "42", "null", "true", "[{\"message\":\"hi\"}]",
                    "1e999999", "123456789012345678901234567890", "{} {}", "{}garbage"))
                .as((type, json) -> body(type, json, "not an object")),
            Combinators.combine(jsonType, template).as((type, json) -> body(type, duplicateFirstKey(json), "duplicate key")),
            Combinators.combine(jsonType, template, Arbitraries.of(List.of(new byte[] {(byte) 0xC3, 0x28},
                    new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88})))
                .as((type, json, bad) -> new Body(type, invalidUtf8(json, bad), "invalid utf-8 in " + json)),
            Combinators.combine(jsonType, template, Arbitraries.of(WRONG_VALUES))
                .as((type, json, value) -> body(type, replaceRequired(json, value), "wrong type")),
            Combinators.combine(jsonType, Arbitraries.integers().between(1001, 5000))
                .as((type, depth) -> body(type, "[".repeat(depth) + "]".repeat(depth), "nested " + depth)),
            jsonType.map(type -> body(type, "{\"message\":1,\"messages\":{},\"model\":[],\"threadId\":2,\"runId\":[],"
                + "\"id\":{},\"stream\":\"yes\",\"session_id\":5,\"tools\":\"x\"}", "every field of the wrong type")),
            Combinators.combine(Arbitraries.of("text/plain", "application/xml", "text/html", "application/octet-stream",
                    "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "garbage", "application/jsonx",
                    "multipart/form-data"), template)
                .as((type, json) -> body(type, json, "wrong content type")),
            Arbitraries.of("stream=perhaps&message=hi", "message=%ZZ&stream=maybe", "stream=true", "message=&stream=true",
                    "tools=notjson&stream=false")
                .map(form -> body("application/x-www-form-urlencoded", form, "bad form")),
            Arbitraries.just(body("application/json", "{\"message\":\"" + "x".repeat(20_000) + "\"}", "over the size limit")));
    }

    static Arbitrary<String> headers() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(GARBAGE_VALUES), Arbitraries.strings().withCharRange(' ', '~')
            .ofMaxLength(30));
        return Combinators.combine(Arbitraries.of("Last-Event-ID", "X-Session-Id", "Idempotency-Key", "Accept",
                "Authorization", "Origin", "Content-Encoding", "Transfer-Encoding", "Expect"), value)
            .as((name, v) -> name + ": " + headerSafe(name, v));
    }

    static Arbitrary<String> queries() {
        Arbitrary<String> value = Arbitraries.of(GARBAGE_VALUES).map(v -> URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just("")),
            Tuple.of(1, value.map(v -> "?after=" + v)),
            Tuple.of(1, Combinators.combine(value, value).as((a, b) -> "?limit=" + a + "&offset=" + b)),
            Tuple.of(1, value.map(v -> "?agent_id=" + v)),
            Tuple.of(1, Arbitraries.of("?after=1&after=2", "?%ZZ=1", "?after=", "?after=%00", "?&&&=", "?limit=")));
    }

    /** Headers whose garbage would stop the server from reading the request at all keep a readable value. */
    private static String headerSafe(String name, String value) {
        return switch (name) {
            case "Transfer-Encoding" -> "gzip";
            case "Expect" -> "something-else";
            default -> value;
        };
    }

    private static Body body(String type, String text, String label) {
        return new Body(type, text.getBytes(StandardCharsets.UTF_8), label + ": " + abbreviate(text));
    }

    private static String duplicateFirstKey(String json) {
        int colon = json.indexOf(':');
        int end = json.indexOf(',', colon);
        return "{" + json.substring(1, end) + "," + json.substring(1);
    }

    /** The template with its first (required) field's value replaced by {@code value}. */
    private static String replaceRequired(String json, String value) {
        int colon = json.indexOf(':');
        int depth = 0;
        int end = colon + 1;
        for (; end < json.length(); end++) {
            char c = json.charAt(end);
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return json.substring(0, colon + 1) + value + json.substring(end);
    }

    private static byte[] invalidUtf8(String json, byte[] bad) {
        int quote = json.indexOf('"', json.indexOf(':'));
        byte[] head = json.substring(0, quote + 1).getBytes(StandardCharsets.UTF_8);
        byte[] tail = json.substring(quote + 1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(bad);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…(" + text.length() + ")" : text;
    }
}
