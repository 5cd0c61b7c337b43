package org.banyan.node.chaincode.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chaincode server's {@code connection.json}, as in Fabric's standard {@code ccaas} package (Fabric's
 * {@code externalbuilder.ChaincodeServerUserData}): {@code address} ({@code host:port}, required),
 * {@code dial_timeout} (a Go duration such as {@code "10s"}, or nanoseconds; 3 s when absent or zero),
 * {@code tls_required}, {@code client_auth_required}, {@code client_key}, {@code client_cert}, {@code root_cert}
 * (PEM), {@code domain}. Member names match case-insensitively and unknown members are ignored, as Go's
 * {@code encoding/json} decodes them.
 *
 * <p>Banyan dials in plaintext: a connection that requires TLS is refused rather than dialled without it.
 *
 * @param host the chaincode server's host
 * @param port its port
 * @param dialTimeout how long one connection attempt may take
 */
record ConnectionInfo(String host, int port, Duration dialTimeout) {
    /** The file inside {@code code.tar.gz}. */
    static final String FILE = "connection.json";
    /** Fabric's {@code externalbuilder.DialTimeout}. */
    static final Duration DIAL_TIMEOUT_DEFAULT = Duration.ofSeconds(3);
    /** The largest connection.json read. */
    static final int BYTES_MAX = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    /** {@code host:port} as written in {@code connection.json}. */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Reads {@code connection.json}.
     *
     * @throws NotLaunchableException Fabric's {@code chaincode address not provided}, a malformed file, a bad
     *     address or duration, or a connection that requires TLS
     */
    static ConnectionInfo parse(byte[] json) throws NotLaunchableException {
        if (json.length > BYTES_MAX) {
            throw new NotLaunchableException(FILE + " is larger than " + BYTES_MAX + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": not a JSON object");
        }
        String address = "";
        Duration dialTimeout = Duration.ZERO;
        boolean tlsRequired = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            JsonNode value = member.getValue();
            switch (member.getKey().toLowerCase(Locale.ROOT)) {
                case "address" -> address = string(value, "address");
                case "dial_timeout" -> dialTimeout = duration(value);
                case "tls_required" -> tlsRequired = bool(value, "tls_required");
                default -> { } // client_auth_required, keys and certificates: only used with TLS
            }
        }
        if (address.isEmpty()) {
            throw new NotLaunchableException("chaincode address not provided"); // Fabric's message
        }
        if (tlsRequired) {
            throw new NotLaunchableException(FILE + " requires TLS (tls_required: true); Banyan dials chaincode"
                    + " servers in plaintext only, so bind the server to a private network and set tls_required"
                    + " to false");
        }
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new NotLaunchableException("chaincode address '" + address + "' is not host:port");
        }
        if (host.contains("{{")) {
            throw new NotLaunchableException("chaincode address '" + address + "' is a template; Banyan does not"
                    + " expand CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG templates, write the address itself");
        }
        return new ConnectionInfo(host, port, dialTimeout.isZero() ? DIAL_TIMEOUT_DEFAULT : dialTimeout);
    }

    private static String string(JsonNode value, String name) throws NotLaunchableException {
        if (value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": " + name + " is not a string");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode value, String name) throws NotLaunchableException {
        if (value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": " + name + " is not a boolean");
        }
        return value.asBoolean();
    }

    /** Fabric's {@code Duration.UnmarshalJSON}: a Go duration string, or a number of nanoseconds. */
    private static Duration duration(JsonNode value) throws NotLaunchableException {
        if (value.isNull()) {
            return Duration.ZERO;
        }
        if (value.isNumber()) {
            Duration nanos = Duration.ofNanos(value.asLong());
            if (nanos.isNegative()) {
                throw new NotLaunchableException("malformed chaincode info " + FILE + ": negative dial_timeout");
            }
            return nanos;
        }
        if (!value.isTextual()) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": invalid duration");
        }
        return goDuration(value.asText());
    }

    /** Go's {@code time.ParseDuration} for non-negative durations: {@code 10s}, {@code 1m30s}, {@code 1.5s}. */
    static Duration goDuration(String text) throws NotLaunchableException {
        String rest = text.startsWith("+") ? text.substring(1) : text;
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION_PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new NotLaunchableException("malformed chaincode info " + FILE + ": time: invalid duration \""
                        + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (at == 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new NotLaunchableException("malformed chaincode info " + FILE + ": time: invalid duration \""
                    + text + "\"");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new AssertionError("unit " + unit);
        };
    }
}
