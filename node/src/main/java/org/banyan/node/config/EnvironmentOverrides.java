package org.banyan.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;

/**
 * Environment variables over a configuration file's keys, the way container platforms configure a process:
 * {@code BANYAN_} and the key's path in upper snake case ({@code gateway.requestBytesMax} →
 * {@code BANYAN_GATEWAY_REQUEST_BYTES_MAX}). Only scalar keys are overridable; the value replaces the file's as text
 * and is then read and checked like any value of the file.
 */
final class EnvironmentOverrides {
    static final String PREFIX = "BANYAN_";
    private static final Set<Class<?>> SCALARS = Set.of(String.class, Long.class, Integer.class, Boolean.class);

    private EnvironmentOverrides() {}

    /** Writes into {@code tree} every variable of {@code environment} that names a scalar key of {@code schema}. */
    static void apply(ObjectNode tree, Class<? extends Record> schema, Map<String, String> environment) {
        apply(tree, schema, PREFIX, environment);
    }

    @SuppressWarnings("unchecked")
    private static void apply(ObjectNode tree, Class<? extends Record> schema, String prefix,
            Map<String, String> environment) {
        for (RecordComponent component : schema.getRecordComponents()) {
            String variable = prefix + upperSnake(component.getName());
            Class<?> type = component.getType();
            if (SCALARS.contains(type)) {
                String value = environment.get(variable);
                if (value != null) {
                    tree.set(component.getName(), TextNode.valueOf(value));
                }
            } else if (type.isRecord()) {
                JsonNode section = tree.get(component.getName());
                ObjectNode object = section instanceof ObjectNode o ? o : tree.objectNode();
                apply(object, (Class<? extends Record>) type, variable + "_", environment);
                if (!object.isEmpty() && section != object) {
                    tree.set(component.getName(), object);
                }
            }
        }
    }

    /** {@code requestBytesMax} → {@code REQUEST_BYTES_MAX}. */
    static String upperSnake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }
}
