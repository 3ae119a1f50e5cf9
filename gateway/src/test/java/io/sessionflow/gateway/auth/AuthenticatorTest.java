package io.sessionflow.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sessionflow.config.Env;
import io.sessionflow.gateway.http.ApiException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private final Authenticator authenticator = Authenticator.withKeys(
            ApiKeys.parse("admin=" + ApiKeys.hash("root-key") + ",user:alice=" + ApiKeys.hash("alice-key"), new Env(Map.of())));

    @Test
    void shouldTurnABearerKeyIntoItsPrincipal() {
        assertThat(authenticator.authenticate(Optional.of("Bearer alice-key"))).isEqualTo(Principal.user("alice"));
        assertThat(authenticator.authenticate(Optional.of("bearer   root-key "))).isEqualTo(Principal.ADMIN);
    }

    @Test
    void shouldAnswer401WithoutAValidBearerKey() {
        assertUnauthorized(Optional.empty(), "an API key is required: send Authorization: Bearer <key>");
        assertUnauthorized(Optional.of("Basic YWxpY2U6a2V5"), "the Authorization header must be 'Bearer <key>'");
        assertUnauthorized(Optional.of("Bearer "), "the Authorization header must be 'Bearer <key>'");
        assertUnauthorized(Optional.of("Bearer bob-key"), "the API key is not valid");
    }

    @Test
    void shouldTreatEveryoneAsAdminWhenAuthIsOff() {
        assertThat(Authenticator.off().authenticate(Optional.empty())).isEqualTo(Principal.ADMIN);
    }

    @Test
    void shouldLetAUserSeeOnlyTheirOwnDataAndAnAdminAll() {
        assertThat(Principal.user("alice").canAccess("alice")).isTrue();
        assertThat(Principal.user("alice").canAccess("bob")).isFalse();
        assertThat(Principal.ADMIN.canAccess("bob")).isTrue();
    }

    private void assertUnauthorized(Optional<String> header, String message) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> authenticator.authenticate(header));
        assertThat(error).as("%s", header).isNotNull();
        assertThat(error.status()).isEqualTo(401);
        assertThat(error.code()).isEqualTo("unauthorized");
        assertThat(error.getMessage()).isEqualTo(message);
    }
}
