package org.banyan.cli;

/**
 * Process exit codes shared by every command. Codes above {@link #USAGE} name a condition a script can act on
 * without parsing the message.
 */
final class ExitCodes {
    static final int OK = 0;
    /** The command ran and found a problem (a ledger that does not verify), or failed on bad input. */
    static final int FAILURE = 1;
    /** picocli's code for a usage error (an unknown option, a value out of range). */
    static final int USAGE = 2;
    /** The directory given is not a network {@code network up} wrote (it has no {@code network.json}). */
    static final int NOT_A_NETWORK = 3;
    /** Something already holds what the command needs: a port in use, a network already running. */
    static final int CONFLICT = 4;
    /** A node is not running, does not answer, or did not become ready in time. */
    static final int NOT_READY = 5;

    private ExitCodes() {}
}
