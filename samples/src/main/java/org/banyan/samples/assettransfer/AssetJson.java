package org.banyan.samples.assettransfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeException;

/** Encodes assets and query results as JSON, deterministically (properties sorted by name). */
final class AssetJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private AssetJson() {}

    static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ChaincodeException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static byte[] encodeBytes(Object value) {
        return encode(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a stored asset; a value that is not an asset is a chaincode error naming the key. */
    static Asset decodeAsset(String key, byte[] json) {
        try {
            return MAPPER.readValue(json, Asset.class);
        } catch (java.io.IOException e) {
            throw new ChaincodeException("the value of " + key + " is not an asset: " + e.getMessage());
        }
    }
}
