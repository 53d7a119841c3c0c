package dev.agentstream.server.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public keys that sign tokens from a file: a JWKS document ({@code {"keys":[…]}}), or
 * PEM with a {@code PUBLIC KEY} or {@code CERTIFICATE}. Parsed with the JDK, so that PEM needs no
 * Bouncy Castle. Only RSA public keys are kept; private parts in a JWKS are dropped.
 */
final class JwtKeyFiles {

    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private JwtKeyFiles() {
    }

    /**
     * The RSA public keys in {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what it should hold
     */
    static JWKSet read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        List<JWK> keys = (text.stripLeading().startsWith("{") ? fromJwks(file, text) : fromPem(file, text)).stream()
            .filter(key -> key instanceof RSAKey)
            .map(JWK::toPublicJWK)
            .toList();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no RSA public key"
                + " (expected: a PEM PUBLIC KEY or CERTIFICATE, or a JWKS with RSA keys)");
        }
        return new JWKSet(keys);
    }

    private static List<JWK> fromJwks(Path file, String text) {
        try {
            return JWKSet.parse(text).getKeys();
        } catch (ParseException e) {
            throw new IllegalArgumentException(file + ": not a valid JWKS document (" + e.getMessage() + ")");
        }
    }

    private static List<JWK> fromPem(Path file, String text) {
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw new IllegalArgumentException(file + ": neither PEM nor JSON"
                + " (expected: a PEM PUBLIC KEY or CERTIFICATE, or a JWKS document)");
        }
        String type = pem.group(1);
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
        try {
            PublicKey key = switch (type) {
                case "PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                // Never echo key material; the type alone says what went wrong.
                default -> throw new IllegalArgumentException(file + ": holds a PEM " + type
                    + " (expected: PUBLIC KEY or CERTIFICATE; never a private key)");
            };
            if (!(key instanceof RSAPublicKey rsa)) {
                throw new IllegalArgumentException(file + ": holds a " + key.getAlgorithm() + " key (expected: RSA)");
            }
            return List.of(new RSAKey.Builder(rsa).build());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": the PEM " + type + " cannot be read ("
                + e.getClass().getSimpleName() + ")");
        }
    }
}
