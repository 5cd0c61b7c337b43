package org.banyan.crypto.msp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code NodeOUs} section of a Fabric MSP {@code config.yaml}: which OU value marks each role and which CA
 * certificate (path relative to the MSP folder, may be empty) must certify it. Reads and writes exactly the
 * layout Fabric's cryptogen writes; other keys (e.g. {@code OrganizationalUnitIdentifiers}) are ignored.
 *
 * @param enabled {@code NodeOUs.Enable}
 * @param identifiers per role among CLIENT, PEER, ADMIN, ORDERER; absent roles are not classified
 */
public record NodeOus(boolean enabled, Map<MspRole, OuIdentifier> identifiers) {
    /** Fabric's YAML keys, in the order cryptogen writes them. */
    private static final Map<MspRole, String> KEYS = orderedKeys();

    /** A YAML file larger than this is refused. */
    public static final int YAML_BYTES_MAX = 64 * 1024;

    /**
     * One {@code *OUIdentifier}.
     *
     * @param certificatePath relative to the MSP folder, empty when any CA of the MSP may certify it
     * @param organizationalUnit the OU value, e.g. {@code peer}
     */
    public record OuIdentifier(String certificatePath, String organizationalUnit) {}

    /** Copies the map. */
    public NodeOus {
        identifiers = Map.copyOf(identifiers);
        if (identifiers.containsKey(MspRole.MEMBER)) {
            throw new IllegalArgumentException("MEMBER has no OU identifier");
        }
    }

    /** Fabric's default: OUs client, peer, admin, orderer, each certified by the given CA file. */
    public static NodeOus standard(String caCertificatePath) {
        Map<MspRole, OuIdentifier> ids = new EnumMap<>(MspRole.class);
        ids.put(MspRole.CLIENT, new OuIdentifier(caCertificatePath, "client"));
        ids.put(MspRole.PEER, new OuIdentifier(caCertificatePath, "peer"));
        ids.put(MspRole.ADMIN, new OuIdentifier(caCertificatePath, "admin"));
        ids.put(MspRole.ORDERER, new OuIdentifier(caCertificatePath, "orderer"));
        return new NodeOus(true, ids);
    }

    /** No NodeOUs section, or {@code Enable: false}. */
    public static NodeOus disabled() {
        return new NodeOus(false, Map.of());
    }

    /** The config.yaml text, as cryptogen writes it. */
    public String encode() {
        StringBuilder out = new StringBuilder("NodeOUs:\n  Enable: ").append(enabled).append('\n');
        for (Map.Entry<MspRole, String> key : KEYS.entrySet()) {
            OuIdentifier id = identifiers.get(key.getKey());
            if (id != null) {
                out.append("  ").append(key.getValue()).append(":\n");
                if (!id.certificatePath().isEmpty()) {
                    out.append("    Certificate: ").append(id.certificatePath()).append('\n');
                }
                out.append("    OrganizationalUnitIdentifier: ").append(id.organizationalUnit()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Parses a config.yaml (the block-mapping subset Fabric uses).
     *
     * @throws MspConfigException when the text is too large or NodeOUs is malformed
     */
    public static NodeOus decode(String yaml) {
        if (yaml.length() > YAML_BYTES_MAX) {
            throw new MspConfigException("config.yaml larger than " + YAML_BYTES_MAX);
        }
        Map<String, Object> root = parseMappings(yaml);
        if (!(root.get("NodeOUs") instanceof Map<?, ?> section)) {
            return disabled();
        }
        boolean enabled = "true".equalsIgnoreCase(String.valueOf(section.get("Enable")));
        Map<MspRole, OuIdentifier> ids = new EnumMap<>(MspRole.class);
        for (Map.Entry<MspRole, String> key : KEYS.entrySet()) {
            if (section.get(key.getValue()) instanceof Map<?, ?> id) {
                Object ou = id.get("OrganizationalUnitIdentifier");
                if (ou == null || ou.toString().isEmpty()) {
                    throw new MspConfigException(key.getValue() + " lacks OrganizationalUnitIdentifier");
                }
                Object certificate = id.get("Certificate");
                ids.put(key.getKey(), new OuIdentifier(certificate == null ? "" : certificate.toString(), ou.toString()));
            }
        }
        return new NodeOus(enabled, ids);
    }

    /** Nested maps from indentation; list items ("- ") and their children are skipped. */
    private static Map<String, Object> parseMappings(String yaml) {
        Map<String, Object> root = new LinkedHashMap<>();
        Deque<Map.Entry<Integer, Map<String, Object>>> stack = new ArrayDeque<>();
        stack.push(Map.entry(-1, root));
        int skipDeeperThan = Integer.MAX_VALUE;
        for (String raw : yaml.split("\r?\n")) {
            String line = stripComment(raw);
            if (line.isBlank()) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent > skipDeeperThan) {
                continue;
            }
            skipDeeperThan = Integer.MAX_VALUE;
            String text = line.strip();
            if (text.startsWith("-")) {
                skipDeeperThan = indent;
                continue;
            }
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new MspConfigException("config.yaml: cannot read line '" + text + "'");
            }
            while (stack.peek().getKey() >= indent) {
                stack.pop();
            }
            String key = text.substring(0, colon).strip();
            String value = unquote(text.substring(colon + 1).strip());
            if (value.isEmpty()) {
                Map<String, Object> child = new LinkedHashMap<>();
                stack.peek().getValue().put(key, child);
                stack.push(Map.entry(indent, child));
            } else {
                stack.peek().getValue().put(key, value);
            }
        }
        return root;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf(" #");
        String noComment = line.startsWith("#") ? "" : hash >= 0 ? line.substring(0, hash) : line;
        return noComment.stripTrailing();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Map<MspRole, String> orderedKeys() {
        Map<MspRole, String> keys = new LinkedHashMap<>();
        keys.put(MspRole.CLIENT, "ClientOUIdentifier");
        keys.put(MspRole.PEER, "PeerOUIdentifier");
        keys.put(MspRole.ADMIN, "AdminOUIdentifier");
        keys.put(MspRole.ORDERER, "OrdererOUIdentifier");
        return keys;
    }
}
