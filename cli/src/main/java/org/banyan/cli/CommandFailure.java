package org.banyan.cli;

/**
 * A failure an operator can act on: what went wrong and what to do, and the exit code that classifies it.
 * {@link Banyan}'s handler prints the message (which may span lines, e.g. a log's tail) without a stack trace.
 */
final class CommandFailure extends RuntimeException {
    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        if (exitCode == ExitCodes.OK) {
            throw new IllegalArgumentException("a failure needs a non-zero exit code");
        }
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
