package org.banyan.node.chaincode.launch;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.banyan.node.config.ChaincodeLogLevels;
import org.banyan.node.config.NodeConfig;

/**
 * How a node runs the chaincode packages installed on it (see {@code docs/chaincode.md}).
 *
 * @param dir where each package gets its directory ({@code <label>.<sha256>/}: the extracted code, the process's
 *     log); the node uses {@code dataDir/chaincodes}
 * @param peerAddress what a launched process dials ({@code CORE_PEER_ADDRESS}): the node's chaincode server
 * @param mspId the node's organisation, given to launched processes as {@code CORE_PEER_LOCALMSPID}
 * @param launch false: the node launches and dials nothing, the operator runs every chaincode (registration)
 * @param javaCommand the {@code java} executable for launched Java chaincode: the node's own JDK by default
 * @param javaOptions JVM options before the class path, e.g. {@code -Xmx256m}
 * @param startTimeout how long a launched process may take to register before it is stopped and counted as
 *     failed, and the longest a transaction waits for a chaincode that is starting (Fabric's
 *     {@code chaincode.startuptimeout}, 300 s there)
 * @param restartBackoffMin the wait before the first restart of a process that exited; it doubles with each
 *     further exit within {@code restartWindow}
 * @param restartBackoffMax the longest wait before a restart
 * @param restartsMax restarts within {@code restartWindow}; one exit more and the process is not restarted (until
 *     the node restarts)
 * @param restartWindow the sliding window restarts are counted in
 * @param logBytesMax the size of a process's log file past which it is rotated (one older file is kept)
 * @param logLevels given to each process as Fabric's peer gives them ({@code CORE_CHAINCODE_LOGGING_LEVEL}, ..._SHIM)
 */
public record LaunchSettings(Path dir, InetSocketAddress peerAddress, String mspId, boolean launch,
                             String javaCommand, List<String> javaOptions, Duration startTimeout,
                             Duration restartBackoffMin, Duration restartBackoffMax, int restartsMax,
                             Duration restartWindow, long logBytesMax, ChaincodeLogLevels logLevels) {
    /** Chaincode processes one node runs at most; launching one more is refused. */
    public static final int PROCESSES_MAX = 64;
    /** Chaincode servers one node dials at most. */
    public static final int CONNECTIONS_MAX = 256;
    /** The window restarts are counted in, when configured from {@link NodeConfig}. */
    public static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

    public LaunchSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(javaCommand, "javaCommand");
        Objects.requireNonNull(logLevels, "logLevels");
        javaOptions = List.copyOf(javaOptions);
        if (!positive(startTimeout) || !positive(restartBackoffMin) || restartBackoffMax == null
                || restartBackoffMax.compareTo(restartBackoffMin) < 0 || restartsMax < 0 || !positive(restartWindow)
                || logBytesMax < 4_096) {
            throw new IllegalArgumentException("chaincode launch settings out of range: startTimeout=" + startTimeout
                    + " restartBackoffMin=" + restartBackoffMin + " restartBackoffMax=" + restartBackoffMax
                    + " restartsMax=" + restartsMax + " restartWindow=" + restartWindow + " logBytesMax="
                    + logBytesMax);
        }
    }

    /** The JDK running this node: launched chaincode runs on the same Java. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The settings of a node's configuration, with the node's JDK and {@link #RESTART_WINDOW}.
     *
     * @param dir see {@link #dir()}
     * @param peerAddress see {@link #peerAddress()}
     */
    public static LaunchSettings of(NodeConfig.ChaincodeSettings chaincode, Path dir, InetSocketAddress peerAddress,
            String mspId) {
        return new LaunchSettings(dir, peerAddress, mspId, chaincode.launch(), currentJava(), chaincode.javaOptions(),
                Duration.ofMillis(chaincode.startTimeoutMillis()), Duration.ofMillis(chaincode.restartBackoffMillisMin()),
                Duration.ofMillis(chaincode.restartBackoffMillisMax()), chaincode.restartsMax(), RESTART_WINDOW,
                chaincode.logBytesMax(), chaincode.logLevels());
    }

    /** The wait before a restart when {@code recentExits} exits (this one included) fell in the window. */
    Duration restartBackoff(int recentExits) {
        Duration backoff = restartBackoffMin;
        for (int i = 1; i < recentExits && backoff.compareTo(restartBackoffMax) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(restartBackoffMax) > 0 ? restartBackoffMax : backoff;
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
