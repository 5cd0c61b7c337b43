package org.banyan.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops node processes and everything they started. For each node: its descendants (the chaincode processes it
 * launched) are collected first, while it still runs; then SIGTERM — the node's shutdown hook closes its ledgers and
 * stops its chaincode — and, past {@link #TERM_TIMEOUT_MILLIS}, SIGKILL. Descendants still alive a moment after
 * their node is gone get SIGTERM, then SIGKILL. {@link ProcessHandle}s carry the process's start time, so a
 * collected descendant whose PID is reused meanwhile is never signalled.
 *
 * <p>All nodes are signalled before any is waited for, so stopping N nodes takes about as long as the slowest.
 */
final class NodeStopper {
    /** A node's clean shutdown (consensus, servers, ledgers, chaincode) within this, else SIGKILL. */
    static final long TERM_TIMEOUT_MILLIS = 20_000;
    /** After SIGKILL the kernel ends a process at once; this bounds the wait for it. */
    static final long KILL_TIMEOUT_MILLIS = 5_000;
    /**
     * How long a node's descendants get to exit after the node is gone, before they are signalled. Short: a node
     * that shuts down cleanly waits for its chaincode processes itself, so what outlives it is left behind.
     */
    static final long DESCENDANTS_TIMEOUT_MILLIS = 2_000;

    /**
     * How one node stopped.
     *
     * @param forced the node needed SIGKILL
     * @param descendantsSignalled processes the node had started that outlived it and were signalled here
     * @param survivors processes (the node or descendants) still alive at the end: none, normally
     */
    record Outcome(String name, long pid, boolean forced, long elapsedMillis, List<Long> descendantsSignalled,
            List<Long> survivors) {
        boolean clean() {
            return survivors.isEmpty();
        }
    }

    private record Target(NodeProcessState node, ProcessHandle process, List<ProcessHandle> descendants) {}

    private NodeStopper() {}

    /** Stops every {@link NodeProcessState#running() running} node of {@code nodes}; others are left alone. */
    static List<Outcome> stop(List<NodeProcessState> nodes) throws InterruptedException {
        long startNanos = System.nanoTime();
        List<Target> targets = new ArrayList<>();
        for (NodeProcessState node : nodes) {
            if (node.running()) {
                ProcessHandle process = node.process().orElseThrow();
                targets.add(new Target(node, process, process.descendants().toList()));
            }
        }
        for (Target target : targets) {
            target.process().destroy();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Target target : targets) {
            outcomes.add(finish(target, startNanos));
        }
        return List.copyOf(outcomes);
    }

    private static Outcome finish(Target target, long startNanos) throws InterruptedException {
        long termDeadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(TERM_TIMEOUT_MILLIS);
        boolean forced = false;
        if (!awaitExit(target.process(), termDeadlineNanos - System.nanoTime())) {
            forced = true;
            target.process().destroyForcibly();
            awaitExit(target.process(), TimeUnit.MILLISECONDS.toNanos(KILL_TIMEOUT_MILLIS));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        List<Long> signalled = new ArrayList<>();
        long descendantsDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DESCENDANTS_TIMEOUT_MILLIS);
        for (ProcessHandle descendant : target.descendants()) {
            if (!awaitExit(descendant, descendantsDeadlineNanos - System.nanoTime())) {
                signalled.add(descendant.pid());
                stopOne(descendant);
            }
        }
        List<Long> survivors = new ArrayList<>();
        if (target.process().isAlive()) {
            survivors.add(target.process().pid());
        }
        target.descendants().stream().filter(ProcessHandle::isAlive).forEach(p -> survivors.add(p.pid()));
        return new Outcome(target.node().node().name(), target.process().pid(), forced, elapsedMillis,
                List.copyOf(signalled), List.copyOf(survivors));
    }

    /** SIGTERM, a bounded wait, SIGKILL. */
    private static void stopOne(ProcessHandle process) throws InterruptedException {
        process.destroy();
        if (!awaitExit(process, TimeUnit.MILLISECONDS.toNanos(KILL_TIMEOUT_MILLIS))) {
            process.destroyForcibly();
            awaitExit(process, TimeUnit.MILLISECONDS.toNanos(KILL_TIMEOUT_MILLIS));
        }
    }

    /** Whether {@code process} exited within {@code timeoutNanos} (zero or less: whether it has exited already). */
    private static boolean awaitExit(ProcessHandle process, long timeoutNanos) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        try {
            process.onExit().get(timeoutNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
