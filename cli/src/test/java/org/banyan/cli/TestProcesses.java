package org.banyan.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The processes a CLI test started (node processes from {@code network.json}, their children, stand-ins), so the
 * test can kill what is still alive when it ends, whatever happened; and the picocli factory that makes
 * {@code network up} launch nodes on the test's class path.
 */
final class TestProcesses {
    private final Set<ProcessHandle> started = new LinkedHashSet<>();

    /** Remembers every node process of the network in {@code dir} and its descendants. */
    void record(Path dir) {
        if (NetworkDescription.exists(dir)) {
            for (NetworkDescription.Node node : NetworkDescription.read(dir).nodes()) {
                ProcessHandle.of(node.pid()).ifPresent(p -> {
                    started.add(p);
                    started.addAll(p.descendants().toList());
                });
            }
        }
    }

    void add(ProcessHandle process) {
        started.add(process);
    }

    void addAll(List<ProcessHandle> processes) {
        started.addAll(processes);
    }

    /** Every process recorded. */
    Set<ProcessHandle> all() {
        return Set.copyOf(started);
    }

    /** Kills each recorded process still alive and waits for it. */
    void killLeftovers() throws Exception {
        for (ProcessHandle process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Nodes run on the test's class path (surefire's), not the test JVM's booter jar. */
    static NodeLauncher testLauncher() {
        return NodeLauncher.withClassPath(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
    }

    /** Commands made as usual, except {@code network up}, which launches nodes with {@code launcher}. */
    static CommandLine.IFactory launchingWith(NodeLauncher launcher) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == NetworkCommand.Up.class ? cls.cast(new NetworkCommand.Up(launcher))
                        : CommandLine.defaultFactory().create(cls);
            }
        };
    }
}
