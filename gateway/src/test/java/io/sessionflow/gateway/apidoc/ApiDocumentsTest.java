package io.sessionflow.gateway.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionflow.gateway.OpenApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The published API documents pass real validators, and those validators do catch a broken document. */
class ApiDocumentsTest {

    /** Surefire runs in the module's directory; the AsyncAPI document lives in the repository's docs/. */
    private static final Path ASYNCAPI = Path.of("..", "docs", "asyncapi.yaml");

    @Test
    void shouldFindNoErrorsInTheOpenApiDocument() {
        assertThat(ApiDocumentValidator.openApiErrors(OpenApi.document())).isEmpty();
    }

    @Test
    void shouldFindNoErrorsInTheAsyncApiDocument() throws IOException {
        assertThat(ApiDocumentValidator.asyncApiErrors(Files.readString(ASYNCAPI))).isEmpty();
    }

    @Test
    void shouldReportAnUnquotedCommaInAFlowStyleDescriptionOfTheOpenApiDocument() {
        String quoted = "description: 'No key, or a wrong one'";
        assertThat(OpenApi.document()).contains(quoted);
        String broken = OpenApi.document().replace(quoted, "description: No key, or a wrong one");

        assertThat(ApiDocumentValidator.openApiErrors(broken)).anySatisfy(error -> assertThat(error).contains("or a wrong one"));
    }

    @Test
    void shouldReportAnOperationWithoutAnOperationId() {
        String broken = OpenApi.document().replace("      operationId: getRun\n", "");

        assertThat(ApiDocumentValidator.openApiErrors(broken)).containsExactly("GET /v1/runs/{run_id} has no operationId");
    }

    @Test
    void shouldReportAnUnknownFieldInTheAsyncApiDocument() throws IOException {
        String broken = Files.readString(ASYNCAPI).replaceFirst("(?m)^info:$", "info:\n  colour: blue");

        assertThat(ApiDocumentValidator.asyncApiErrors(broken)).isNotEmpty();
    }
}
