package io.sessionflow.gateway.apidoc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs real validators on the API documents and answers their errors, so that a document a client
 * generator would refuse fails the build. OpenAPI: swagger-parser's own checks (unexpected or
 * missing fields, bad references). AsyncAPI: the AsyncAPI 3.0.0 JSON schema from the npm package
 * {@code @asyncapi/specs} (Apache-2.0, vendored with its LICENSE and NOTICE under asyncapi-schema/).
 */
final class ApiDocumentValidator {

    private static final String ASYNCAPI_SCHEMA = "/asyncapi-schema/asyncapi-3.0.0.json";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ApiDocumentValidator() {
    }

    static List<String> openApiErrors(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        List<String> errors = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() == null) {
            errors.add("not an OpenAPI document");
            return errors;
        }
        errors.addAll(generatorErrors(result.getOpenAPI()));
        return errors;
    }

    /** What client generators need beyond a valid document: a unique operationId and a described, typed error on every operation. */
    private static List<String> generatorErrors(OpenAPI api) {
        List<String> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String where = method + " " + path;
            if (operation.getOperationId() == null || operation.getOperationId().isBlank()) {
                errors.add(where + " has no operationId");
            } else if (!ids.add(operation.getOperationId())) {
                errors.add(where + " repeats operationId " + operation.getOperationId());
            }
            operation.getResponses().forEach((status, answer) -> {
                ApiResponse response = answer.get$ref() == null ? answer
                        : api.getComponents().getResponses().get(answer.get$ref().substring(answer.get$ref().lastIndexOf('/') + 1));
                boolean error = status.startsWith("4") || status.startsWith("5");
                if (error && (response == null || response.getDescription() == null || response.getDescription().isBlank())) {
                    errors.add(where + " answers " + status + " without a description");
                }
            });
        }));
        return errors;
    }

    static List<String> asyncApiErrors(String document) {
        JsonNode parsed;
        try {
            parsed = YAML.readTree(document);
        } catch (IOException e) {
            return List.of("not YAML: " + e.getMessage());
        }
        return asyncApiSchema().validate(parsed).stream().map(ValidationMessage::getMessage).toList();
    }

    private static JsonSchema asyncApiSchema() {
        try (InputStream in = ApiDocumentValidator.class.getResourceAsStream(ASYNCAPI_SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(ASYNCAPI_SCHEMA + " is missing from the test classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
