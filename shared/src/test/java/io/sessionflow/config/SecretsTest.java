package io.sessionflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldMaskSecretQueryParametersOfAJdbcUrlAndKeepTheRest() {
        String url = "jdbc:postgresql://db:5432/app?user=app&password=s3cret&sslmode=verify-full&sslpassword=k3y&sslkey=/k.pk8";

        assertThat(Secrets.url(url)).isEqualTo(
                "jdbc:postgresql://db:5432/app?user=app&password=****&sslmode=verify-full&sslpassword=****&sslkey=****");
    }

    @Test
    void shouldMaskThePasswordOfUserInfoAndTokensInQueries() {
        assertThat(Secrets.url("postgres://user:pa%40ss@host:5433/db?PASSWORD=x;authToken=t#frag"))
                .isEqualTo("postgres://user:****@host:5433/db?PASSWORD=****;authToken=****#frag");
        assertThat(Secrets.url("https://api.example.com/v1?api_key=abc&model=gpt")).isEqualTo("https://api.example.com/v1?api_key=****&model=gpt");
        assertThat(Secrets.url("https://user@example.com/v1")).isEqualTo("https://user@example.com/v1");
    }

    @Test
    void shouldMaskSecretClientPropertiesAndCredentialsInUrlValues() {
        Map<String, String> masked = Secrets.properties(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.password", "changeit",
                "sasl.oauthbearer.jwks.endpoint.url", "https://idp:s3cret@idp.example/token",
                "security.protocol", "SASL_SSL",
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer"));

        assertThat(masked).containsEntry("sasl.jaas.config", Secrets.MASK).containsEntry("ssl.truststore.password", Secrets.MASK)
                .containsEntry("sasl.oauthbearer.jwks.endpoint.url", "https://idp:****@idp.example/token")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    }

    @Test
    void shouldSayWhetherASecretIsSetWithoutShowingIt() {
        assertThat(Secrets.mask("sk-live-123")).isEqualTo("****");
        assertThat(Secrets.mask(null)).isEqualTo("<none>");
    }
}
