package dev.agentstream.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void eachKeyBelongsToItsUser() {
        ApiKeys keys = ApiKeys.parse("alice:key1, bob:key2");

        assertThat(keys.enabled()).isTrue();
        assertThat(keys.lookup("key1")).contains(new Caller("alice"));
        assertThat(keys.lookup("key2")).contains(new Caller("bob"));
    }

    @Test
    void unknownKeyBelongsToNobody() {
        assertThat(ApiKeys.parse("alice:key1").lookup("key2")).isEmpty();
        assertThat(ApiKeys.parse("alice:key1").lookup("")).isEmpty();
    }

    @Test
    void onlyTheWholeKeyMatchesAndTheKeyItselfIsNotKept() {
        ApiKeys keys = ApiKeys.parse("alice:key-alice-1234");

        assertThat(keys.lookup("key-alice-123")).isEmpty();
        assertThat(keys.lookup("key-alice-12345")).isEmpty();
        assertThat(keys.lookup("KEY-ALICE-1234")).isEmpty();
        // Digests only: a heap dump or a stray toString cannot show the key.
        assertThat(keys.toString()).doesNotContain("key-alice-1234");
        assertThat(keys).extracting("entries").asString().doesNotContain("key-alice-1234");
    }

    @Test
    void keysMayContainColons() {
        assertThat(ApiKeys.parse("alice:a:b").lookup("a:b")).contains(new Caller("alice"));
    }

    @Test
    void noKeysMeansAuthIsOff() {
        assertThat(ApiKeys.none().enabled()).isFalse();
        assertThat(ApiKeys.parse(" , ").enabled()).isFalse();
    }

    @Test
    void malformedItemIsNamedByPositionWithoutTheKey() {
        assertThatThrownBy(() -> ApiKeys.parse("alice:key1,secretwithoutuser"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("item 2")
            .hasMessageNotContaining("secretwithoutuser");
    }

    @Test
    void aKeyUsedTwiceIsRefused() {
        assertThatThrownBy(() -> ApiKeys.parse("alice:k,bob:k"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("item 2");
    }
}
