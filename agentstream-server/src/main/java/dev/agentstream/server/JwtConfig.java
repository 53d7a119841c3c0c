package dev.agentstream.server;

import dev.agentstream.server.auth.JwtVerifier;
import java.nio.file.Path;
import java.util.Map;

/**
 * JWT verification from environment variables: {@code AGENTSTREAM_JWT_SECRET} (HS256) or
 * {@code AGENTSTREAM_JWT_PUBLIC_KEY} (RS256, a PEM or JWKS file), with optional
 * {@code AGENTSTREAM_JWT_ISSUER} and {@code AGENTSTREAM_JWT_AUDIENCE}. Messages name the variable,
 * never the secret's value.
 */
final class JwtConfig {

    static final String SECRET = "AGENTSTREAM_JWT_SECRET";
    static final String PUBLIC_KEY = "AGENTSTREAM_JWT_PUBLIC_KEY";
    static final String ISSUER = "AGENTSTREAM_JWT_ISSUER";
    static final String AUDIENCE = "AGENTSTREAM_JWT_AUDIENCE";

    private JwtConfig() {
    }

    /**
     * The verifier {@code env} asks for, or null when neither a secret nor a public key is set.
     *
     * @throws IllegalArgumentException naming the first variable with a wrong value
     */
    static JwtVerifier fromEnv(Map<String, String> env) {
        String secret = ServerConfig.blankToNull(env.get(SECRET));
        String publicKey = ServerConfig.blankToNull(env.get(PUBLIC_KEY));
        String issuer = ServerConfig.blankToNull(env.get(ISSUER));
        String audience = ServerConfig.blankToNull(env.get(AUDIENCE));
        if (secret != null && publicKey != null) {
            throw new IllegalArgumentException(SECRET + " and " + PUBLIC_KEY + " are both set (expected: one of them)");
        }
        if (secret == null && publicKey == null) {
            if (issuer != null || audience != null) {
                throw new IllegalArgumentException((issuer != null ? ISSUER : AUDIENCE)
                    + " is set without a key to check tokens with (expected: " + SECRET + " or " + PUBLIC_KEY + " too)");
            }
            return null;
        }
        JwtVerifier.Builder builder;
        try {
            builder = secret != null ? JwtVerifier.hs256(secret) : JwtVerifier.rs256(Path.of(publicKey.strip()));
        } catch (IllegalArgumentException e) {
            // The verifier's messages name lengths and files, never the secret itself.
            throw new IllegalArgumentException((secret != null ? SECRET : PUBLIC_KEY) + ": " + e.getMessage());
        }
        if (issuer != null) {
            builder.issuer(issuer);
        }
        if (audience != null) {
            builder.audience(audience);
        }
        return builder.build();
    }
}
