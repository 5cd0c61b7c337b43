package org.banyan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code banyan network down}: stops the nodes {@code network.json} records, and only them — a PID is signalled
 * only while it still runs that node's {@code node start --config <its config>} ({@link NodeProcessState}) — with
 * whatever they started ({@link NodeStopper}). Identities, ledgers and logs stay; {@code network up} resumes.
 */
final class NetworkDown {
    private final PrintStream out;

    NetworkDown(PrintStream out) {
        this.out = out;
    }

    int run(Path dir) throws InterruptedException {
        NetworkDescription network = NetworkCommand.readNetwork(dir, "down");
        List<NodeProcessState> states = network.nodes().stream().map(NodeProcessState::of).toList();
        long running = states.stream().filter(NodeProcessState::running).count();
        out.printf("network down: stopping %d running node(s) of %s%n", running, dir);
        for (NodeProcessState state : states) {
            if (!state.running()) {
                out.printf("  %s: not stopped, %s%n", state.node().name(), state.describe());
            }
        }
        List<NodeStopper.Outcome> outcomes = NodeStopper.stop(states);
        for (NodeStopper.Outcome outcome : outcomes) {
            out.printf("  %s: %s (pid %d, %.1f s)%s%n", outcome.name(),
                    !outcome.clean() ? "NOT STOPPED" : outcome.forced() ? "killed after SIGTERM timed out" : "stopped",
                    outcome.pid(), outcome.elapsedMillis() / 1e3, outcome.descendantsSignalled().isEmpty() ? ""
                            : "; processes it started that outlived it were stopped: " + outcome.descendantsSignalled());
        }
        List<NodeStopper.Outcome> unclean = outcomes.stream().filter(o -> !o.clean()).toList();
        if (!unclean.isEmpty()) {
            throw new CommandFailure(ExitCodes.FAILURE, "network down: still alive after SIGKILL: "
                    + unclean.stream().map(o -> o.name() + " " + o.survivors()).toList()
                    + ". Check them with ps -p PID and stop them by hand.");
        }
        out.printf("network down: %d node(s) stopped; identities, ledgers and logs stay in %s;"
                + " 'banyan network up --dir %s' resumes%n", outcomes.size(), dir, dir);
        return ExitCodes.OK;
    }
}
