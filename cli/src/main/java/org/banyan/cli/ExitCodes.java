package org.banyan.cli;

/** Process exit codes shared by every command. */
final class ExitCodes {
    static final int OK = 0;
    /** The command ran and found a problem (a ledger that does not verify), or failed on bad input. */
    static final int FAILURE = 1;
    /** picocli's code for a usage error. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
