package io.sessionflow.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sessionflow.config.ConfigException;
import io.sessionflow.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void shouldKnowTheCallerBehindEachConfiguredKeyByItsHash() {
        Env env = new Env(Map.of());
        ApiKeys keys = ApiKeys.parse(" admin=" + ApiKeys.hash("root-key") + " , user:alice=" + ApiKeys.hash("alice-key").toUpperCase() + ",", env);
        env.check();

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.authenticate("root-key")).contains(Principal.ADMIN);
        assertThat(keys.authenticate("alice-key")).contains(Principal.user("alice"));
        assertThat(keys.authenticate("bob-key")).isEmpty();
        // As the configuration log shows them: counted, never the hashes.
        assertThat(Authenticator.withKeys(keys)).hasToString("Auth[SESSIONFLOW_AUTH=on, keys=2 (1 admin, 1 user)]");
        assertThat(Authenticator.off()).hasToString("Auth[SESSIONFLOW_AUTH=off: every request is admin]");
    }

    @Test
    void shouldReportEveryBadEntryTogether() {
        Env env = new Env(Map.of());
        ApiKeys keys = ApiKeys.parse("admin=not-a-hash,root=" + ApiKeys.hash("k") + ",user:bad id=" + ApiKeys.hash("k2") + ",plain", env);

        ConfigException error = catchThrowableOfType(ConfigException.class, env::check);
        assertThat(error.getMessage())
                .contains("'admin' needs the SHA-256 hex of its key")
                .contains("got 'root'")
                .contains("got 'user:bad id'")
                .contains("'' needs the SHA-256 hex");
        assertThat(keys.isEmpty()).isTrue();
    }

    @Test
    void shouldHashAsSha256Hex() {
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldGenerateDistinctUrlSafeKeys() {
        String key = ApiKeys.generate();
        assertThat(key).matches("sf_[A-Za-z0-9_-]{43}");
        assertThat(ApiKeys.generate()).isNotEqualTo(key);
    }
}
