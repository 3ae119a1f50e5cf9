package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sessionflow.generated.ApiClient;
import io.sessionflow.generated.ApiException;
import io.sessionflow.generated.api.DefaultApi;
import io.sessionflow.generated.model.Run;
import io.sessionflow.generated.model.Session;
import io.sessionflow.generated.model.SessionPage;
import io.sessionflow.generated.model.SessionPageItemsInner;
import io.sessionflow.generated.model.StartAgentRunRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed flow through a client generated from {@code openapi.yaml} by openapi-generator at build time
 * (launcher's pom), against the real gateway: what a team gets when it feeds our document to a
 * generator. It compiling proves the document is one a generator accepts; it passing proves the
 * document says what the server does (paths, bodies, answers, the 404's shape).
 */
@PipelineIT
class GeneratedClientIT {

    private final DefaultApi api;

    GeneratedClientIT(TestPipeline pipeline) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(pipeline.gateway.url());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + TestPipeline.ADMIN_KEY));
        this.api = new DefaultApi(client);
    }

    @Test
    void shouldRunTheSeedsStateInContextFlowThroughTheGeneratedClient() throws Exception {
        String user = SessionSemanticsIT.newId("generated-user");
        String session = SessionSemanticsIT.newId("generated-session");

        Run first = api.startAgentRun("personal-assistant", new StartAgentRunRequest().message("What is my name?").userId(user)
                .sessionId(session).sessionState(Map.of("user_name", "John", "age", 30)), true, null, null);
        assertThat(first.getStatus()).isEqualTo(Run.StatusEnum.COMPLETED);
        assertThat(first.getSessionId()).isEqualTo(session);
        assertThat(first.getContent()).contains("Users name is John and age is 30");

        // The next run gives no state: it comes back from Postgres, as the seed promises.
        Run second = api.startAgentRun("personal-assistant", new StartAgentRunRequest().message("And my age?").userId(user)
                .sessionId(session), true, null, null);
        assertThat(second.getRunIndex()).isEqualTo(2);
        assertThat(second.getContent()).contains("Users name is John and age is 30");

        Session stored = api.getSession(session);
        assertThat(stored.getSessionState()).isEqualTo(Map.of("user_name", "John", "age", 30));
        assertThat(stored.getRunCount()).isEqualTo(2);
        SessionPage listed = api.listSessions(user, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        assertThat(listed.getItems()).extracting(SessionPageItemsInner::getSessionId).containsExactly(session);

        ApiException missing = catchThrowableOfType(ApiException.class, () -> api.getRun("no-such-run"));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"code\"");
    }
}
