package org.banyan.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits until every node of a network is ready — its operations endpoint answers {@code /healthz} 200 and
 * {@code /status} shows the channel running — printing one line per node as it becomes ready. Fails fast when a
 * node this command started exits, and at the deadline otherwise; either failure names the node, says why, and
 * shows the end of its log.
 */
final class NodeReadiness {
    static final long POLL_INTERVAL_MILLIS = 100;
    static final int LOG_TAIL_LINES = 20;

    /**
     * A node this command started.
     *
     * @param logOffset the log's size before the start: the tail shown on failure begins there
     */
    record Started(NetworkDescription.Node node, Process process, long logOffset) {}

    private final NodeProbe probe;
    private final PrintStream out;

    NodeReadiness(NodeProbe probe, PrintStream out) {
        this.probe = probe;
        this.out = out;
    }

    /**
     * Returns when every node of {@code network} is ready; throws {@link CommandFailure} ({@link ExitCodes#NOT_READY})
     * when one exits or {@code timeoutMillis} pass first.
     *
     * @param started the nodes this command started (the others were running already)
     * @param sinceNanos when the command began, for the times printed
     */
    void await(NetworkDescription network, List<Started> started, long timeoutMillis, long sinceNanos)
            throws InterruptedException {
        Map<String, Started> startedByName = new LinkedHashMap<>();
        started.forEach(s -> startedByName.put(s.node().name(), s));
        List<NetworkDescription.Node> pending = new ArrayList<>(network.nodes());
        Map<String, NodeProbe.Report> lastReports = new LinkedHashMap<>();
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!pending.isEmpty() && System.nanoTime() < deadlineNanos) {
            for (NetworkDescription.Node node : List.copyOf(pending)) {
                refuseExited(node, startedByName.get(node.name()));
                NodeProbe.Report report = probe.probe(node.operations(), network.channel());
                lastReports.put(node.name(), report);
                if (report.ready()) {
                    pending.remove(node);
                    out.printf("      %s ready after %.1f s: height %d, round %d%n", node.name(),
                            (System.nanoTime() - sinceNanos) / 1e9, report.channel().height(), report.channel().round());
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(POLL_INTERVAL_MILLIS);
            }
        }
        if (!pending.isEmpty()) {
            NetworkDescription.Node first = pending.getFirst();
            Started start = startedByName.get(first.name());
            throw new CommandFailure(ExitCodes.NOT_READY, "network up: " + pending.stream()
                    .map(NetworkDescription.Node::name).toList() + " did not become ready within "
                    + timeoutMillis / 1000 + " s. " + first.name() + ": " + why(lastReports.get(first.name()),
                    network.channel()) + ".\n" + logOf(first, start == null ? 0 : start.logOffset())
                    + "\nA slow machine may need more time: --ready-timeout-seconds.");
        }
    }

    /** Throws if the node has exited: the process this command started, or the one that was running before. */
    private static void refuseExited(NetworkDescription.Node node, Started started) {
        if (started != null && !started.process().isAlive()) {
            throw new CommandFailure(ExitCodes.NOT_READY, "network up: " + node.name() + " exited with code "
                    + started.process().exitValue() + " before it was ready.\n" + logOf(node, started.logOffset()));
        }
        if (started == null && !NodeProcessState.of(node).running()) {
            throw new CommandFailure(ExitCodes.NOT_READY, "network up: " + node.name() + " (pid " + node.pid()
                    + ", running when this command began) is no longer running.\n" + logOf(node, 0));
        }
    }

    private static String why(NodeProbe.Report report, String channel) {
        if (report == null) {
            return "never probed";
        }
        if (!report.reachable() || !report.healthy()) {
            return report.detail();
        }
        return report.channel() == null ? "its /status does not list channel " + channel
                : "channel " + channel + " is not running yet";
    }

    private static String logOf(NetworkDescription.Node node, long fromOffset) {
        return "Its log is " + node.logs() + "; the last lines:\n" + LogTail.of(node.logs(), fromOffset, LOG_TAIL_LINES);
    }
}
