package dev.agentstream.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request read from a socket: method, target, headers (lower-case names) and the
 * whole body (by {@code Content-Length} or chunked). Enough for the fake upstream; not a server.
 */
record HttpRequestHead(String method, String target, Map<String, String> headers, byte[] body) {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;

    /** Reads one request, or returns null when the peer closed before sending one. */
    static HttpRequestHead read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, String> headers = new HashMap<>();
        int headBytes = requestLine.length();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunkedBody(in);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            if (length > MAX_BODY) {
                throw new IOException("request body over " + MAX_BODY + " bytes");
            }
            body = in.readNBytes(length);
        }
        return new HttpRequestHead(parts[0], parts[1], headers, body);
    }

    String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** A query parameter's value, or {@code fallback}. */
    String query(String name, String fallback) {
        int query = target.indexOf('?');
        if (query < 0) {
            return fallback;
        }
        for (String pair : target.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return fallback;
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new IOException("request body ended inside a chunk size");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY) {
                throw new IOException("request body over " + MAX_BODY + " bytes");
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    /** A CRLF- or LF-terminated line without its terminator; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (line.size() > MAX_HEAD) {
                throw new IOException("line over " + MAX_HEAD + " bytes");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
