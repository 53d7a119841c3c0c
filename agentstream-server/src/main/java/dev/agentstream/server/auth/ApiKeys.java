package dev.agentstream.server.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys a server accepts and the user each belongs to, as given by
 * {@code AGENTSTREAM_API_KEYS="alice:key1,bob:key2"}. Only SHA-256 digests of the keys are kept,
 * and a presented key is compared against every digest in constant time, so neither timing nor a
 * heap dump gives a key away. Immutable and thread-safe.
 */
public final class ApiKeys {

    private static final String USER_PATTERN = "[A-Za-z0-9._@-]{1,64}";

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No keys: every request is the {@link Caller#LOCAL} user. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * Parses {@code user:key} pairs separated by commas; blanks around items are ignored.
     *
     * @throws IllegalArgumentException naming the malformed item by position (never the key)
     */
    public static ApiKeys parse(String spec) {
        requireNonNull(spec, "spec");
        Map<String, String> keyToUser = new LinkedHashMap<>();
        String[] items = spec.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String user = colon < 0 ? "" : item.substring(0, colon).strip();
            String key = colon < 0 ? "" : item.substring(colon + 1).strip();
            if (!user.matches(USER_PATTERN) || key.isEmpty()) {
                throw new IllegalArgumentException("AGENTSTREAM_API_KEYS item " + (i + 1)
                    + " (expected: user:key with user of " + USER_PATTERN + " and a non-empty key)");
            }
            if (keyToUser.put(key, user) != null) {
                throw new IllegalArgumentException("AGENTSTREAM_API_KEYS item " + (i + 1) + " (expected: a key used once)");
            }
        }
        return of(keyToUser);
    }

    /** Keys mapped to their users. */
    public static ApiKeys of(Map<String, String> keyToUser) {
        List<Entry> entries = new ArrayList<>();
        keyToUser.forEach((key, user) -> entries.add(new Entry(digest(key), new Caller(user))));
        return new ApiKeys(entries);
    }

    /** True if requests must present a key. */
    public boolean enabled() {
        return !entries.isEmpty();
    }

    /** The user {@code presentedKey} belongs to, if any. Any thread. */
    public Optional<Caller> lookup(String presentedKey) {
        byte[] presented = digest(presentedKey);
        Caller found = null;
        // No early exit: every digest is compared, so the time taken says nothing about which matched.
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest, presented)) {
                found = entry.caller;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The number of keys, for logs (never the keys or users). */
    public int size() {
        return entries.size();
    }

    /** The SHA-256 digest of a credential: what is kept and compared instead of the credential. */
    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private record Entry(byte[] digest, Caller caller) {
    }
}
