package org.banyan.samples.finance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * State and answers as JSON with properties sorted by name, so that every endorser writes the same bytes for the
 * same state (endorsements must match byte for byte).
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {}

    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ChaincodeException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public static byte[] bytes(Object value) {
        return text(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a stored value; one that is not a {@code type} is an error naming the key. */
    public static <T> T decode(String key, byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ChaincodeException("the value of " + key + " is not a " + type.getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    /**
     * A JSON argument a client passed, as a tree. Malformed text, a name given twice in one object (which a lax
     * parser would silently resolve to the last value) and anything after the value are refused as
     * {@link Refusal#BAD_ARGUMENT} naming {@code what}.
     */
    public static JsonNode argument(String what, String text) {
        try {
            JsonNode node = MAPPER.reader()
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text == null ? "" : text);
            if (node == null || node.isMissingNode()) {
                throw Refusal.of(Refusal.BAD_ARGUMENT, what + " must be JSON, not empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, what + " must be JSON: " + e.getOriginalMessage());
        }
    }
}
