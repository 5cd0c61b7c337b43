package org.banyan.node.config;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log levels of the chaincode the node runs, Fabric's {@code chaincode.logging.level} and
 * {@code chaincode.logging.shim}: the contract API's and the chaincode's messages, and the shim's own.
 *
 * <p>A chaincode process gets them as Fabric's peer passes them, in {@code CORE_CHAINCODE_LOGGING_LEVEL} and
 * {@code CORE_CHAINCODE_LOGGING_SHIM}, which the shim maps to {@code java.util.logging} levels when it starts. In the
 * node's JVM the shim would read the node's own environment instead, so {@link #applyInProcess} sets the same
 * loggers after an in-process chaincode has started. Those loggers are JVM-wide (one per name), so every in-process
 * chaincode of the node shares the levels.
 *
 * <p>The contract API logs three INFO lines for every transaction, Fabric's default; production peers commonly run
 * chaincode at WARNING, which saves the formatting and the log volume.
 *
 * @param chaincode the contract API's level and the chaincode's (one of {@link #NAMES}, any case)
 * @param shim the shim's level
 */
public record ChaincodeLogLevels(String chaincode, String shim) {
    /** The level names Fabric's Java shim knows, as the node accepts them. */
    public static final String NAMES = "critical, error, warning, notice, info, debug";
    /** Fabric's core.yaml defaults: chaincode at INFO, the shim at WARNING. */
    public static final ChaincodeLogLevels DEFAULTS = new ChaincodeLogLevels("info", "warning");
    private static final String CONTRACT_LOGGER = "org.hyperledger.fabric.contract";
    private static final String SHIM_LOGGER = "org.hyperledger.fabric.shim";

    public ChaincodeLogLevels {
        chaincode = normalised(chaincode, "chaincode.logLevel");
        shim = normalised(shim, "chaincode.shimLogLevel");
    }

    /** The variables a chaincode process is started with. */
    public Map<String, String> environment() {
        return Map.of("CORE_CHAINCODE_LOGGING_LEVEL", chaincode, "CORE_CHAINCODE_LOGGING_SHIM", shim);
    }

    /** Sets the loggers Fabric's shim sets at start, for chaincode started in this JVM. */
    public void applyInProcess() {
        Logger.getLogger(CONTRACT_LOGGER).setLevel(julLevel(chaincode));
        Logger.getLogger(SHIM_LOGGER).setLevel(julLevel(shim));
    }

    /** The shim's mapping ({@code ChaincodeBase.mapLevel}). */
    static Level julLevel(String name) {
        return switch (name) {
            case "critical", "error" -> Level.SEVERE;
            case "warning" -> Level.WARNING;
            case "notice" -> Level.CONFIG;
            case "debug" -> Level.FINEST;
            default -> Level.INFO;
        };
    }

    private static String normalised(String name, String key) {
        String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        String canonical = lower.equals("warn") ? "warning" : lower;
        if (!(", " + NAMES + ",").contains(", " + canonical + ",")) {
            throw new IllegalArgumentException(key + " '" + name + "' is not a log level (" + NAMES + ")");
        }
        return canonical;
    }
}
