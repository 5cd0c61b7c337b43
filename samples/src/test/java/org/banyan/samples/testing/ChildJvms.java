package org.banyan.samples.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.banyan.node.chaincode.launch.LaunchSettings;

/**
 * Chaincode processes a test starts itself, as an operator would: child JVMs on the test's JDK, each with its
 * output in {@code <name>.log}; {@link #close()} stops every one (SIGTERM, then SIGKILL after 10 s), also when the
 * test failed. Processes the node launches are the node's to stop.
 */
public final class ChildJvms implements AutoCloseable {
    private final Path logDir;
    private final List<Process> children = new ArrayList<>();
    private final Map<String, Path> logs = new LinkedHashMap<>();

    /** @param logDir where the children's logs go */
    public ChildJvms(Path logDir) {
        this.logDir = logDir;
    }

    /** Fabric's environment for a chaincode process that registers with a peer (plaintext). */
    public static Map<String, String> registering(String chaincodeId, String peerAddress) {
        return Map.of("CORE_CHAINCODE_ID_NAME", chaincodeId, "CORE_PEER_ADDRESS", peerAddress,
                "CORE_PEER_TLS_ENABLED", "false");
    }

    /**
     * The environment of a chaincode server (the shim's server mode, plaintext): {@code CHAINCODE_SERVER_ADDRESS}
     * and the package ID, which the Java shim reads from {@code CORE_CHAINCODE_ID_NAME}.
     */
    public static Map<String, String> serving(String chaincodeId, String address) {
        return Map.of("CORE_CHAINCODE_ID_NAME", chaincodeId, "CHAINCODE_SERVER_ADDRESS", address,
                "CORE_PEER_TLS_ENABLED", "false");
    }

    /** Starts {@code mainClass} on {@code classpath} with {@code env} added to the test's environment. */
    public Process start(String name, Class<?> mainClass, String classpath, Map<String, String> env,
            List<String> args) {
        List<String> command = new ArrayList<>(List.of(LaunchSettings.currentJava(), "-Xmx256m", "-cp", classpath,
                mainClass.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Path log = logDir.resolve(name + ".log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process child = builder.start();
            children.add(child);
            logs.put(name, log);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Every child's log, for a failure message. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        logs.forEach((name, log) -> {
            all.append("\n--- ").append(name).append(".log:\n");
            try {
                all.append(Files.readString(log));
            } catch (IOException e) {
                all.append(e);
            }
        });
        return all.toString();
    }

    @Override
    public void close() {
        for (Process child : children) {
            child.destroy();
        }
        for (Process child : children) {
            try {
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
