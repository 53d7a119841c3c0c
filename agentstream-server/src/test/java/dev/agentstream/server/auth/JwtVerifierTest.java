package dev.agentstream.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentstream.server.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

    private static final KeyPair RSA = Tokens.rsaKeys();

    @TempDir
    Path folder;

    private final JwtVerifier hs256 = JwtVerifier.hs256(Tokens.SECRET).build();

    private static Date inMinutes(long minutes) {
        return Date.from(Instant.now().plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void aValidTokensSubjectIsTheCaller() {
        assertThat(hs256.verify(Tokens.hs256(Tokens.claims("alice").build()))).contains(new Caller("alice"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = Tokens.hs256(Tokens.claims("alice").issueTime(inMinutes(-20)).notBeforeTime(inMinutes(-20))
            .expirationTime(inMinutes(-10)).build());

        assertThat(hs256.verify(token)).isEmpty();
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        assertThat(hs256.verify(Tokens.hs256(Tokens.claims("alice").notBeforeTime(inMinutes(10)).build()))).isEmpty();
    }

    @Test
    void aSmallClockDifferenceIsTolerated() {
        Date fewSecondsAgo = Date.from(Instant.now().minusSeconds(JwtVerifier.CLOCK_SKEW_SECONDS / 3));

        assertThat(hs256.verify(Tokens.hs256(Tokens.claims("alice").expirationTime(fewSecondsAgo).build())))
            .contains(new Caller("alice"));
    }

    @Test
    void aTokenWithoutExpiryOrSubjectIsRefused() {
        assertThat(hs256.verify(Tokens.hs256(Tokens.claims("alice").expirationTime(null).build()))).isEmpty();
        assertThat(hs256.verify(Tokens.hs256(Tokens.claims(null).build()))).isEmpty();
        assertThat(hs256.verify(Tokens.hs256(Tokens.claims("a\nb").build()))).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        assertThat(hs256.verify(Tokens.hs256("another-secret-that-is-long-enough!", Tokens.claims("alice").build())))
            .isEmpty();
    }

    @Test
    void accessTokensTypedAtJwtAreAcceptedAndOtherTypesRefused() throws Exception {
        assertThat(hs256.verify(signedWithType(new JOSEObjectType("at+jwt")))).contains(new Caller("alice"));
        assertThat(hs256.verify(signedWithType(new JOSEObjectType("logout+jwt")))).isEmpty();
    }

    private static String signedWithType(JOSEObjectType type) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(type).build(),
            Tokens.claims("alice").build());
        jwt.sign(new MACSigner(Tokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(),
            Tokens.claims("alice").build()).serialize();

        assertThat(hs256.verify(none)).isEmpty();
    }

    @Test
    void garbageIsRefusedWithoutAnException() {
        assertThat(hs256.verify("not-a-token")).isEmpty();
        assertThat(hs256.verify("a.b.c")).isEmpty();
        assertThat(hs256.verify("")).isEmpty();
        assertThat(hs256.verify(null)).isEmpty();
        assertThat(hs256.verify("x".repeat(100_000))).isEmpty();
    }

    @Test
    void issuerAndAudienceAreEnforcedWhenConfigured() {
        JwtVerifier strict = JwtVerifier.hs256(Tokens.SECRET).issuer("https://id.example.com").audience("agentstream").build();
        JWTClaimsSet.Builder right = Tokens.claims("alice").issuer("https://id.example.com").audience("agentstream");

        assertThat(strict.verify(Tokens.hs256(right.build()))).contains(new Caller("alice"));
        assertThat(strict.verify(Tokens.hs256(Tokens.claims("alice").issuer("https://evil.example.com")
            .audience("agentstream").build()))).isEmpty();
        assertThat(strict.verify(Tokens.hs256(Tokens.claims("alice").issuer("https://id.example.com")
            .audience("another-service").build()))).isEmpty();
        assertThat(strict.verify(Tokens.hs256(Tokens.claims("alice").build()))).as("neither iss nor aud").isEmpty();
    }

    @Test
    void rs256TokensAreCheckedWithAPemPublicKey() {
        JwtVerifier rs256 = JwtVerifier.rs256(Tokens.writePem(folder.resolve("key.pem"), RSA)).build();

        assertThat(rs256.verify(Tokens.rs256(RSA, Tokens.claims("alice").build()))).contains(new Caller("alice"));
        assertThat(rs256.verify(Tokens.rs256(Tokens.rsaKeys(), Tokens.claims("alice").build()))).isEmpty();
    }

    @Test
    void rs256TokensAreCheckedWithAJwksFile() {
        JwtVerifier rs256 = JwtVerifier.rs256(Tokens.writeJwks(folder.resolve("jwks.json"), RSA)).build();

        assertThat(rs256.verify(Tokens.rs256(RSA, Tokens.claims("bob").build()))).contains(new Caller("bob"));
    }

    @Test
    void anRs256VerifierRefusesHs256TokensSignedWithItsPublicKey() throws Exception {
        // The classic algorithm confusion: the public key, known to all, used as an HMAC secret.
        JwtVerifier rs256 = JwtVerifier.rs256(Tokens.writePem(folder.resolve("key.pem"), RSA)).build();
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), Tokens.claims("alice").build());
        forged.sign(new MACSigner(RSA.getPublic().getEncoded()));

        assertThat(rs256.verify(forged.serialize())).isEmpty();
        assertThat(rs256.verify(Tokens.hs256(Tokens.claims("alice").build()))).isEmpty();
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> JwtVerifier.hs256("short-secret-value"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 32")
            .hasMessageNotContaining("short-secret-value");
    }

    @Test
    void keyFilesThatHoldNoPublicKeyAreRefusedByName() {
        Path privateKey = Tokens.write(folder.resolve("private.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path text = Tokens.write(folder.resolve("key.txt"), "hello");

        assertThatThrownBy(() -> JwtVerifier.rs256(privateKey)).hasMessageContaining("private.pem")
            .hasMessageContaining("PRIVATE KEY").hasMessageNotContaining("AAAA");
        assertThatThrownBy(() -> JwtVerifier.rs256(text)).hasMessageContaining("neither PEM nor JSON");
        assertThatThrownBy(() -> JwtVerifier.rs256(folder.resolve("missing.pem"))).hasMessageContaining("cannot be read");
    }

    @Test
    void itsDescriptionNeverHoldsTheSecret() {
        JwtVerifier verifier = JwtVerifier.hs256(Tokens.SECRET).issuer("https://id.example.com").build();

        assertThat(verifier.toString()).isEqualTo("HS256, issuer https://id.example.com").doesNotContain(Tokens.SECRET);
    }
}
