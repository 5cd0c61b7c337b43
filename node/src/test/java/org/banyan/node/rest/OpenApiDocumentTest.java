package org.banyan.node.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.gateway.Gateway;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document is valid OpenAPI 3 and describes exactly the routes the server has. */
class OpenApiDocumentTest {
    private static String document() throws Exception {
        try (InputStream in = RestApi.class.getResourceAsStream(RestApi.OPENAPI_RESOURCE)) {
            assertThat(in).as("openapi.json on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void isAValidOpenApi3Document() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document(), null, options);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes()).containsKeys("ApiKeyHeader",
                "BearerKey");
    }

    @Test
    void theValidatorWouldNoticeABrokenDocument() throws Exception {
        // A dangling reference and an operation without responses: the check above is not vacuous.
        String broken = document().replace("#/components/schemas/Result\"", "#/components/schemas/NoSuchSchema\"")
                .replaceFirst("\"responses\": \\{\\s*\"200\": \\{\\s*\"description\": \"The OpenAPI 3.0 document",
                        "\"response\": {\"200\": {\"description\": \"The OpenAPI 3.0 document");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(broken, null, options);
        assertThat(result.getMessages()).isNotEmpty();
    }

    @Test
    void describesEveryRouteAndNoOther() throws Exception {
        Gateway gateway = new Gateway("Org1MSP", Gateway.network(channel -> Optional.empty(),
                (channel, msp) -> Optional.empty()), NodeConfig.GatewaySettings.DEFAULTS, Instant::now);
        Set<String> routes = new TreeSet<>();
        for (Route route : new RestApi(gateway, Instant::now, System::currentTimeMillis).routes()) {
            routes.add(route.method() + " " + route.template());
        }
        Set<String> documented = new TreeSet<>();
        JsonNode paths = new ObjectMapper().readTree(document()).path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method ->
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        assertThat(documented).isEqualTo(routes);
        gateway.close();
    }

    @Test
    void theOnlyRouteWithoutAnApiKeyIsTheDocumentItself() throws Exception {
        Gateway gateway = new Gateway("Org1MSP", Gateway.network(channel -> Optional.empty(),
                (channel, msp) -> Optional.empty()), NodeConfig.GatewaySettings.DEFAULTS, Instant::now);
        JsonNode paths = new ObjectMapper().readTree(document()).path("paths");
        for (Route route : new RestApi(gateway, Instant::now, System::currentTimeMillis).routes()) {
            JsonNode security = paths.path(route.template()).path(route.method().toLowerCase(Locale.ROOT))
                    .path("security");
            // An operation without its own "security" uses the document's: the API key.
            assertThat(security.isArray() && security.isEmpty()).as(route.template()).isEqualTo(!route.authenticated());
        }
        gateway.close();
    }
}
