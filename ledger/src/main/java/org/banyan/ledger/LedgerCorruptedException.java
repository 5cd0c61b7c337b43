package org.banyan.ledger;

/**
 * The ledger's stores disagree in a way recovery must not paper over: a state or history savepoint above the
 * block store's height (the block store lost durable blocks), or a replay that yields a different commit hash
 * than the one recorded (state diverged). The channel must be restored from a peer or a backup.
 */
public final class LedgerCorruptedException extends RuntimeException {
    public LedgerCorruptedException(String message) {
        super(message);
    }
}
