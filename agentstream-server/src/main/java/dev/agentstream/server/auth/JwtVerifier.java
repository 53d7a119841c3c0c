package dev.agentstream.server.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Checks JWT bearer tokens: the signature (HS256 with a shared secret, or RS256 with public keys
 * from a PEM or JWKS file), {@code exp} (required) and {@code nbf} (when present) with a small clock
 * skew, and {@code iss} and {@code aud} when configured. A valid token's {@code sub} is the
 * {@link Caller}. Only the configured algorithm is accepted, so a token cannot pick its own
 * ({@code none}, or HS256 signed with the RSA public key).
 *
 * <p>Immutable and thread-safe once built. Its {@link #toString()} names the algorithm, key file,
 * issuer and audience, never the secret.
 */
public final class JwtVerifier {

    /** Tolerated difference between the issuer's clock and ours when checking {@code exp} and {@code nbf}. */
    public static final int CLOCK_SKEW_SECONDS = 30;
    /** HS256 needs a key as long as its hash; nimbus refuses shorter ones at every check otherwise. */
    public static final int MIN_SECRET_BYTES = 32;
    // A subject becomes the owner of sessions and runs: bounded, and without control characters.
    private static final int MAX_SUBJECT_LENGTH = 255;
    // Longer than any sensible token; parsing stops before reading megabytes of header.
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String description;

    private JwtVerifier(Builder b) {
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithm, b.keys));
        // Identity providers type their tokens JWT, at+jwt (RFC 9068 access tokens), or not at all.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null));
        JWTClaimsSet exact = b.issuer == null ? null : new JWTClaimsSet.Builder().issuer(b.issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
            b.audience == null ? null : Set.of(b.audience), exact,
            Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME), null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        this.description = b.algorithm.getName() + (b.keySource == null ? "" : " keys from " + b.keySource)
            + (b.issuer == null ? "" : ", issuer " + b.issuer) + (b.audience == null ? "" : ", audience " + b.audience);
    }

    /**
     * Tokens signed with HS256 and {@code secret} (UTF-8, at least {@value #MIN_SECRET_BYTES} bytes).
     *
     * @throws IllegalArgumentException if the secret is too short (the message never holds it)
     */
    public static Builder hs256(String secret) {
        byte[] bytes = requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the HS256 secret has " + bytes.length + " bytes (expected: at least "
                + MIN_SECRET_BYTES + ")");
        }
        return new Builder(JWSAlgorithm.HS256, new ImmutableSecret<>(bytes), null);
    }

    /** Tokens signed with RS256 by the private half of one of {@code publicKeys}. */
    public static Builder rs256(JWKSet publicKeys) {
        return new Builder(JWSAlgorithm.RS256, new ImmutableJWKSet<>(publicKeys.toPublicJWKSet()), null);
    }

    /**
     * Tokens signed with RS256, checked with the public key(s) in {@code file}: a PEM public key or
     * certificate, or a JWKS document.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Builder rs256(Path file) {
        Builder builder = rs256(JwtKeyFiles.read(file));
        builder.keySource = file.toString();
        return builder;
    }

    /**
     * The caller {@code token} speaks for, or empty if it is not a valid token: malformed, signed
     * with another key or algorithm, expired, not yet valid, for another issuer or audience, or
     * without a usable {@code sub}. Any thread; never throws for a bad token.
     */
    public Optional<Caller> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            // RuntimeException too: whatever a client sends must end as 401, never as 500.
            return Optional.empty();
        }
        String subject = claims.getSubject();
        return usableSubject(subject) ? Optional.of(new Caller(subject)) : Optional.empty();
    }

    private static boolean usableSubject(String subject) {
        return subject != null && !subject.isBlank() && subject.length() <= MAX_SUBJECT_LENGTH
            && subject.chars().noneMatch(Character::isISOControl);
    }

    /** The algorithm, key file, issuer and audience; never the secret. */
    @Override
    public String toString() {
        return description;
    }

    /** What a token must carry besides a good signature; not thread-safe. */
    public static final class Builder {
        private final JWSAlgorithm algorithm;
        private final JWKSource<SecurityContext> keys;
        private String keySource;
        private String issuer;
        private String audience;

        private Builder(JWSAlgorithm algorithm, JWKSource<SecurityContext> keys, String keySource) {
            this.algorithm = algorithm;
            this.keys = keys;
            this.keySource = keySource;
        }

        /** Tokens must carry exactly this {@code iss} (default: any issuer). */
        public Builder issuer(String issuer) {
            this.issuer = nonBlank(issuer, "issuer");
            return this;
        }

        /** Tokens must name this audience in {@code aud} (default: any audience). */
        public Builder audience(String audience) {
            this.audience = nonBlank(audience, "audience");
            return this;
        }

        public JwtVerifier build() {
            return new JwtVerifier(this);
        }

        private static String nonBlank(String value, String name) {
            requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + ": blank (expected: a non-empty value)");
            }
            return value.strip();
        }
    }
}
