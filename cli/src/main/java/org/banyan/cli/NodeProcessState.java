package org.banyan.cli;

import java.util.Optional;

/**
 * What runs under the PID {@code network.json} records for a node: the node itself, nothing, or another program
 * that was given the same PID after the node exited.
 *
 * @param process the live process under the PID, if any
 */
record NodeProcessState(NetworkDescription.Node node, Kind kind, Optional<ProcessHandle> process) {
    enum Kind {
        /** The PID is alive and runs this node's {@code node start --config <its config>}. */
        RUNNING,
        /** No process has the PID. */
        EXITED,
        /** The PID is alive but runs something else (or its command line cannot be read): never signalled. */
        OTHER_PROCESS
    }

    static NodeProcessState of(NetworkDescription.Node node) {
        Optional<ProcessHandle> process = ProcessHandle.of(node.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return new NodeProcessState(node, Kind.EXITED, Optional.empty());
        }
        Kind kind = NodeLauncher.runs(process.get(), node.config()) ? Kind.RUNNING : Kind.OTHER_PROCESS;
        return new NodeProcessState(node, kind, process);
    }

    boolean running() {
        return kind == Kind.RUNNING;
    }

    /** One phrase for messages: {@code pid 12 runs it}, {@code pid 12 has exited}, {@code pid 12 now runs ...}. */
    String describe() {
        return "pid " + node.pid() + switch (kind) {
            case RUNNING -> " runs it";
            case EXITED -> " has exited";
            case OTHER_PROCESS -> " now runs another program (" + abbreviate(NodeLauncher.commandLine(process.get()))
                    + "), left alone";
        };
    }

    private static String abbreviate(String commandLine) {
        int max = 80;
        return commandLine.isEmpty() ? "command line unreadable"
                : commandLine.length() <= max ? commandLine : commandLine.substring(0, max) + "...";
    }
}
