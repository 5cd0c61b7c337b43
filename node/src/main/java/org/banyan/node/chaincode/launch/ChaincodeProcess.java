package org.banyan.node.chaincode.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.banyan.node.chaincode.ChaincodeRuntime;

/**
 * A prebuilt Java chaincode the node runs as a child JVM and supervises: started with Fabric's environment
 * ({@code CORE_CHAINCODE_ID_NAME=<package ID>}, {@code CORE_PEER_ADDRESS=<the node's chaincode server>},
 * {@code CORE_PEER_TLS_ENABLED=false}, {@code CORE_PEER_LOCALMSPID}) so the unmodified shim registers with the
 * node; its stdout and stderr go to a {@link RotatingLog}. It is restarted after it exits, and also when it has
 * not been registered for {@link LaunchSettings#startTimeout()} while alive (it never came up, or lost its
 * stream): then it is killed and counts as a failure. Restarts back off from
 * {@link LaunchSettings#restartBackoffMin()}, doubling up to {@link LaunchSettings#restartBackoffMax()}; past
 * {@link LaunchSettings#restartsMax()} failures within {@link LaunchSettings#restartWindow()} it is not restarted.
 *
 * <p>The child's environment is not the node's: only {@code PATH}, {@code HOME}, {@code USER}, {@code LANG},
 * {@code LC_ALL}, {@code TZ} and {@code TMPDIR} are passed on, so the node's secrets in its environment stay
 * out. A process left by a node that died (its ID in {@code chaincode.pid}, its command naming this package's
 * directory) is killed before a new one starts.
 */
final class ChaincodeProcess extends Supervised {
    private static final System.Logger LOG = System.getLogger(ChaincodeProcess.class.getName());
    static final List<String> ENVIRONMENT_PASSED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");
    static final String PID_FILE = "chaincode.pid";
    private static final int PUMP_BUFFER_BYTES = 8_192;

    private final JavaPackage java;
    private final Path dir;
    private final RotatingLog log;
    /** The running process, null between attempts; guarded by lock. */
    private Process process;
    /** Set when the node kills the process, the reason its exit gets; guarded by lock. */
    private String killReason;
    private long lastRegisteredNanos;
    /** The process {@link #down} stopped, for {@link #awaitDown}. */
    private volatile Process stopping;
    private volatile Thread pump;

    /**
     * @param dir the package's directory (the pid file goes there)
     * @param log where the process's output goes
     */
    ChaincodeProcess(String packageId, JavaPackage java, Path dir, RotatingLog log, ChaincodeRuntime runtime,
            LaunchSettings settings, ScheduledExecutorService timer) {
        super(packageId, runtime, settings, timer);
        this.java = java;
        this.dir = dir;
        this.log = log;
    }

    @Override
    void up() {
        Process started;
        lock.lock();
        try {
            if (state() != State.STARTING) {
                return;
            }
            List<String> command = java.command(settings.javaCommand(), settings.javaOptions());
            ProcessBuilder builder = new ProcessBuilder(command).directory(java.root().toFile())
                    .redirectErrorStream(true);
            environment(builder.environment());
            try {
                started = builder.start();
            } catch (IOException e) {
                log.line("could not start the chaincode process: " + e.getMessage());
                started = null;
                killReason = "error starting chaincode process: " + e.getMessage();
            }
            if (started != null) {
                process = started;
                killReason = null;
                lastRegisteredNanos = 0;
                writePid(started.pid());
                log.line("started process " + started.pid() + ": " + String.join(" ", command));
                LOG.log(System.Logger.Level.INFO, "chaincode {0}: started process {1} (log {2})", packageId,
                        started.pid(), log.file());
            }
        } finally {
            lock.unlock();
        }
        if (started == null) {
            wentDown(killReason);
            return;
        }
        Process watched = started;
        pump = Thread.ofPlatform().daemon().name("banyan-chaincode-log-" + watched.pid())
                .start(() -> pump(watched.getInputStream()));
        watched.onExit().thenRun(() -> {
            try {
                timer.execute(() -> exited(watched));
            } catch (RejectedExecutionException e) {
                // the launcher is closing; awaitDown waits for the exit itself
            }
        });
    }

    private void environment(Map<String, String> env) {
        env.clear();
        for (String name : ENVIRONMENT_PASSED) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("CORE_CHAINCODE_ID_NAME", packageId);
        env.put("CORE_PEER_ADDRESS", settings.peerAddress().getHostString() + ":" + settings.peerAddress().getPort());
        env.put("CORE_PEER_TLS_ENABLED", "false");
        env.put("CORE_PEER_LOCALMSPID", settings.mspId());
        env.putAll(settings.logLevels().environment());
    }

    private void exited(Process exited) {
        String why;
        lock.lock();
        try {
            if (exited != process) {
                return;
            }
            process = null;
            why = killReason != null ? killReason : "chaincode process exited with code " + exited.exitValue();
        } finally {
            lock.unlock();
        }
        log.line("process " + exited.pid() + ": " + why);
        wentDown(why);
    }

    /** Registration bookkeeping, then the watchdog: a live process not registered for startTimeout is killed. */
    @Override
    void tick() {
        super.tick();
        lock.lock();
        try {
            State state = state();
            if (process == null || killReason != null || (state != State.STARTING && state != State.RUNNING)) {
                return;
            }
            long now = System.nanoTime();
            if (runtime.isRegistered(packageId)) {
                lastRegisteredNanos = now;
                return;
            }
            long downNanos = lastRegisteredNanos == 0 ? attemptAgeNanos() : now - lastRegisteredNanos;
            if (downNanos > settings.startTimeout().toNanos()) {
                killReason = lastRegisteredNanos == 0
                        ? "chaincode process did not register within " + settings.startTimeout().toMillis() + " ms"
                        : "chaincode process lost its registration for " + settings.startTimeout().toMillis()
                                + " ms";
                log.line("killing process " + process.pid() + ": " + killReason);
                destroyTree(process, true);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    Optional<Duration> retryAfter(int recentFailures, int consecutiveFailures) {
        return recentFailures > settings.restartsMax() ? Optional.empty()
                : Optional.of(settings.restartBackoff(recentFailures));
    }

    @Override
    void down() {
        lock.lock();
        try {
            stopping = process;
            if (process != null) {
                log.line("stopping process " + process.pid() + " (node shutting down)");
                destroyTree(process, false);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    void awaitDown(long deadlineNanos) {
        Process p = stopping;
        if (p != null) {
            try {
                p.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.line("process " + p.pid() + " did not stop; killing it");
                destroyTree(p, true);
                p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join();
            } catch (ExecutionException e) {
                throw new AssertionError("onExit failed", e);
            } catch (InterruptedException e) {
                destroyTree(p, true);
                Thread.currentThread().interrupt();
            }
        }
        Thread reader = pump;
        if (reader != null) {
            try {
                reader.join(TimeUnit.NANOSECONDS.toMillis(Math.max(1, deadlineNanos - System.nanoTime())) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException e) {
            // harmless: the next start checks the process is this package's before stopping it
        }
        log.close();
    }

    @Override
    ChaincodeStatus status(State state, String failure, int restarts, long startMillis) {
        lock.lock();
        try {
            return new ChaincodeStatus(packageId, ChaincodeStatus.Mode.JAVA_PROCESS, state.name(),
                    runtime.isRegistered(packageId), failure,
                    process == null ? -1 : process.pid(), "", restarts, startMillis, log.file().toString());
        } finally {
            lock.unlock();
        }
    }

    /** Copies the process's output to the log until it closes its end. */
    private void pump(InputStream output) {
        byte[] buffer = new byte[PUMP_BUFFER_BYTES];
        try (output) {
            int n;
            while ((n = output.read(buffer)) >= 0) {
                log.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the process is gone; its exit is reported by onExit
        }
    }

    /** SIGTERM (or SIGKILL when forced) to the process and every process it started. */
    private static void destroyTree(Process process, boolean force) {
        for (ProcessHandle child : process.descendants().toList()) {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    private void writePid(long pid) {
        try {
            Files.writeString(dir.resolve(PID_FILE), Long.toString(pid), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "chaincode " + packageId + ": cannot write " + PID_FILE, e);
        }
    }

    /**
     * Kills a process of this package left by a node that died, recognised by its pid (in {@code dir}) and its
     * command line (naming {@code codeDir}). Call before the package's code is extracted again.
     */
    static void stopLeftover(Path dir, Path codeDir, RotatingLog log) {
        Path file = dir.resolve(PID_FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            Optional<ProcessHandle> leftover = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(codeDir.toString())).orElse(false));
            if (leftover.isPresent()) {
                log.line("killing process " + pid + " left by an earlier run of the node");
                leftover.get().descendants().forEach(ProcessHandle::destroyForcibly);
                leftover.get().destroyForcibly();
                leftover.get().onExit().completeOnTimeout(leftover.get(), 5, TimeUnit.SECONDS).join();
            }
            Files.deleteIfExists(file);
        } catch (IOException | NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable " + file, e);
        }
    }
}
