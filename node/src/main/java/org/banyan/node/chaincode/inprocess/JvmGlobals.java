package org.banyan.node.chaincode.inprocess;

import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What Fabric's Java shim changes for the whole JVM when it starts, undone so that a chaincode in the node's JVM
 * changes neither the node nor the other chaincodes, and leaves nothing that would keep its class loader alive:
 *
 * <ul>
 *   <li>{@code ChaincodeBase.initializeLogging} (run by {@code ContractRouter}'s constructor) reformats every handler
 *       of the root {@code java.util.logging} logger, with a formatter class of the chaincode's, and sets the
 *       {@code java.util.logging.SimpleFormatter.format} system property: {@link #saveLogging} before, restore
 *       after;
 *   <li>{@code ChaincodeBase}'s static initialiser registers BouncyCastle as a JCA provider
 *       ({@code Security.addProvider}): {@link #removeProviders} takes out every provider the chaincode's class
 *       loader defined.
 * </ul>
 */
final class JvmGlobals {
    static final String SIMPLE_FORMAT = "java.util.logging.SimpleFormatter.format";

    private JvmGlobals() {}

    /** The root logger's handlers (level, formatter) and the simple format, as they are now. */
    static Logging saveLogging() {
        List<HandlerState> handlers = new ArrayList<>();
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handlers.add(new HandlerState(handler, handler.getLevel(), handler.getFormatter()));
        }
        return new Logging(System.getProperty(SIMPLE_FORMAT), List.copyOf(handlers));
    }

    /** Removes the JCA providers the class loader defined; returns their names. */
    static List<String> removeProviders(ClassLoader loader) {
        List<String> removed = new ArrayList<>();
        for (Provider provider : Security.getProviders()) {
            if (provider.getClass().getClassLoader() == loader) {
                Security.removeProvider(provider.getName());
                removed.add(provider.getName());
            }
        }
        return removed;
    }

    /** Saved logging configuration. */
    record Logging(String simpleFormat, List<HandlerState> handlers) {
        void restore() {
            if (simpleFormat == null) {
                System.clearProperty(SIMPLE_FORMAT);
            } else {
                System.setProperty(SIMPLE_FORMAT, simpleFormat);
            }
            for (HandlerState state : handlers) {
                state.handler().setLevel(state.level());
                if (state.formatter() != null) {
                    state.handler().setFormatter(state.formatter());
                }
            }
        }
    }

    record HandlerState(Handler handler, Level level, Formatter formatter) {}
}
