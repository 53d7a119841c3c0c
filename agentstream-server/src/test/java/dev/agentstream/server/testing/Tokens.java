package dev.agentstream.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Signs JWTs for tests, as an identity provider would, and writes public keys as PEM or JWKS files.
 * Secrets and tokens are noted in {@link SuiteSecrets}, for the check that no log holds them.
 */
public final class Tokens {

    /** A 32-byte HS256 secret, the shortest allowed. */
    public static final String SECRET = "test-secret-that-is-32-bytes-lon";

    private Tokens() {
    }

    /** Claims for {@code subject}, valid from a minute ago for five minutes. */
    public static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
            .subject(subject)
            .issueTime(Date.from(now.minus(Duration.ofMinutes(1))))
            .notBeforeTime(Date.from(now.minus(Duration.ofMinutes(1))))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    /** {@code claims} signed with HS256 and {@code secret}. */
    public static String hs256(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            SuiteSecrets.register(secret, jwt.serialize());
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} signed with HS256 and {@link #SECRET}. */
    public static String hs256(JWTClaimsSet claims) {
        return hs256(SECRET, claims);
    }

    /** {@code claims} signed with RS256 by {@code keys}' private key. */
    public static String rs256(KeyPair keys, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            SuiteSecrets.register(jwt.serialize());
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh 2048-bit RSA key pair. */
    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code keys}' public key as a PEM {@code PUBLIC KEY} file. */
    public static Path writePem(Path file, KeyPair keys) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded());
        return write(file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    /** Writes {@code keys}' public key as a one-key JWKS document. */
    public static Path writeJwks(Path file, KeyPair keys) {
        RSAKey key = new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID("test-key").build();
        return write(file, new JWKSet(key).toString());
    }

    public static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code Authorization} header pair for {@code token}. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
