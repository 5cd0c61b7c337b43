package org.banyan.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts {@code banyan node start --config FILE} as a background process that outlives the command that started
 * it: its own session (so a closing terminal or a Ctrl-C in it does not reach the node), stdin from
 * {@code /dev/null}, stdout and stderr appended to the node's log. The java binary, class path and JVM options are
 * given to the constructor, so tests can run nodes on their own class path.
 *
 * <p>The class path is passed in the {@code CLASSPATH} variable rather than {@code -cp}, so the process's command
 * line stays short: {@link #runs} recognises a node by that command line, and the JDK reads only so much of it.
 */
final class NodeLauncher {
    /**
     * JVM options of every node of a local network: a heap fit for a development network (several nodes share one
     * machine), the serial collector (least memory and threads; nodes are small), and C1 only, which measured faster
     * to ready (docs/network.md).
     */
    static final List<String> NODE_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
    /** Where {@code setsid} may be: it starts the node in a new session. Without it the node shares ours. */
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Path java;
    private final String classPath;
    private final List<String> jvmOptions;

    /**
     * @param java the {@code java} executable
     * @param classPath entries separated by {@link File#pathSeparator}; relative entries are made absolute
     * @param jvmOptions options before the main class
     */
    NodeLauncher(Path java, String classPath, List<String> jvmOptions) {
        this.java = Objects.requireNonNull(java, "java");
        this.classPath = absoluteClassPath(Objects.requireNonNull(classPath, "classPath"));
        this.jvmOptions = List.copyOf(jvmOptions);
        if (this.classPath.isEmpty()) {
            throw new IllegalArgumentException("a node needs a class path");
        }
    }

    /** This JVM's java and class path ({@code ./banyan}'s jar and libraries), with {@link #jvmOptionsOfThisJvm}. */
    static NodeLauncher ofThisJvm() {
        return withClassPath(System.getProperty("java.class.path"));
    }

    /** This JVM's java with another class path (a test's), with {@link #jvmOptionsOfThisJvm}. */
    static NodeLauncher withClassPath(String classPath) {
        return new NodeLauncher(Path.of(System.getProperty("java.home"), "bin", "java"), classPath,
                jvmOptionsOfThisJvm());
    }

    /** The same launcher with {@code options} in place of {@link #NODE_JVM_OPTIONS} (native-access flags kept). */
    NodeLauncher withJvmOptions(List<String> options) {
        List<String> all = new ArrayList<>(options);
        jvmOptions.stream().filter(flag -> flag.startsWith("--enable-native-access")
                || flag.startsWith("--sun-misc-unsafe-memory-access")).forEach(all::add);
        return new NodeLauncher(java, classPath, all);
    }

    /**
     * {@link #NODE_JVM_OPTIONS} and the native-access options this JVM was started with ({@code ./banyan} passes
     * them on JDKs that would otherwise warn: RocksDB and the crypto provider load native code).
     */
    static List<String> jvmOptionsOfThisJvm() {
        List<String> options = new ArrayList<>(NODE_JVM_OPTIONS);
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc-unsafe-memory-access")) {
                options.add(flag);
            }
        }
        return List.copyOf(options);
    }

    /**
     * Starts the node of {@code configFile}. Before it starts, a line naming the time is appended to {@code log}, so
     * the log shows where each run begins.
     *
     * @param tmpDir the node's {@code java.io.tmpdir}: RocksDB extracts its native library there, and a killed node
     *     leaves its copy behind, so it belongs with the node, not in {@code /tmp}
     * @return the process; it runs in the directory of {@code configFile}
     */
    Process start(Path configFile, Path log, Path tmpDir) {
        try {
            Files.createDirectories(tmpDir);
            Files.writeString(log, "---- banyan network: starting node " + configFile + " at " + Instant.now()
                    + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command(configFile, tmpDir))
                    .directory(configFile.getParent().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> environment = builder.environment();
            // network.json says where each node listens and keeps its data; BANYAN_* overrides of node.yaml keys
            // (docs/node.md) would make it wrong, so a node of a local network is configured by its node.yaml alone.
            environment.keySet().removeIf(name -> name.startsWith("BANYAN_"));
            environment.put("CLASSPATH", classPath);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node of " + configFile + " with " + java, e);
        }
    }

    private List<String> command(Path configFile, Path tmpDir) {
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + tmpDir.toAbsolutePath());
        command.addAll(nodeArguments(configFile));
        return command;
    }

    /** The main class and arguments that run the node of {@code configFile}: how {@link #runs} knows it. */
    static List<String> nodeArguments(Path configFile) {
        return List.of(Banyan.class.getName(), "node", "start", "--config", configFile.toAbsolutePath().toString());
    }

    /**
     * Whether {@code process} is alive and runs the node of {@code configFile}: its arguments end with
     * {@link #nodeArguments}. A PID recorded earlier may since belong to another program; this is what keeps
     * {@code network down} from signalling it.
     */
    static boolean runs(ProcessHandle process, Path configFile) {
        Optional<String[]> arguments = process.info().arguments();
        if (!process.isAlive() || arguments.isEmpty()) {
            return false;
        }
        List<String> actual = List.of(arguments.get());
        List<String> expected = nodeArguments(configFile);
        return actual.size() >= expected.size()
                && actual.subList(actual.size() - expected.size(), actual.size()).equals(expected);
    }

    /** The command line of {@code process} as the JDK reads it, for messages; empty if unknown. */
    static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static String absoluteClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
