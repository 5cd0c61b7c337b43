package org.banyan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code banyan network status}: per node of a network, whether its recorded PID still runs it, its {@code /healthz},
 * and the channel's height, round and leader from {@code /status}. Exit code {@link ExitCodes#OK} when every node is
 * running and ready, {@link ExitCodes#NOT_READY} otherwise, so scripts can wait on it.
 */
final class NetworkStatus {
    private static final String ROW = "  %-6s %-9s %-8s %-10s %-8s %7s %7s  %s%n";

    private final PrintStream out;

    NetworkStatus(PrintStream out) {
        this.out = out;
    }

    int run(Path dir) {
        NetworkDescription network = NetworkCommand.readNetwork(dir, "status");
        List<NodeProcessState> states = network.nodes().stream().map(NodeProcessState::of).toList();
        List<NodeProbe.Report> reports = new ArrayList<>();
        try (NodeProbe probe = new NodeProbe()) {
            for (NodeProcessState state : states) {
                reports.add(state.running() ? probe.probe(state.node().operations(), network.channel()) : null);
            }
        }
        print(dir, network, states, reports);
        List<String> problems = problems(states, reports);
        if (!problems.isEmpty()) {
            throw new CommandFailure(ExitCodes.NOT_READY, "network status: " + String.join("; ", problems)
                    + ". 'banyan network up --dir " + dir + "' starts the nodes that are not running; each node's"
                    + " log is nodes/<node>/node.log.");
        }
        return ExitCodes.OK;
    }

    private void print(Path dir, NetworkDescription network, List<NodeProcessState> states,
            List<NodeProbe.Report> reports) {
        out.printf("network %s: channel %s, %d node(s)%n", dir, network.channel(), states.size());
        out.printf(ROW, "NODE", "MSP", "PID", "PROCESS", "HEALTH", "HEIGHT", "ROUND", "LEADER");
        for (int i = 0; i < states.size(); i++) {
            NodeProcessState state = states.get(i);
            NodeProbe.Report report = reports.get(i);
            NodeProbe.ChannelStatus channel = report == null ? null : report.channel();
            String leader = channel == null ? "-" : leaderName(network, channel.leader());
            out.printf(ROW, state.node().name(), state.node().mspId(), state.node().pid(),
                    state.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), health(report),
                    channel == null ? "-" : Long.toString(channel.height()),
                    channel == null ? "-" : Long.toString(channel.round()), leader);
        }
    }

    /**
     * The node that is replica {@code index}: a local network's consenters are its organisations in order
     * (LocalNetwork), so replica i is the i-th node.
     */
    private static String leaderName(NetworkDescription network, int index) {
        return index >= 0 && index < network.nodes().size() ? network.nodes().get(index).name() : "replica " + index;
    }

    private static String health(NodeProbe.Report report) {
        if (report == null) {
            return "-";
        }
        return !report.reachable() ? "no answer" : report.healthy() ? "ok" : "unhealthy";
    }

    private static List<String> problems(List<NodeProcessState> states, List<NodeProbe.Report> reports) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            NodeProcessState state = states.get(i);
            NodeProbe.Report report = reports.get(i);
            if (!state.running()) {
                problems.add(state.node().name() + ": " + state.describe());
            } else if (!report.ready()) {
                problems.add(state.node().name() + " not ready: " + (report.detail().isEmpty()
                        ? "channel not running" : report.detail()));
            }
        }
        return problems;
    }
}
