package org.banyan.ledger;

import java.nio.file.Path;

/** {@link ChannelLedger#open} found no committed genesis block for the channel. */
public final class LedgerNotFoundException extends RuntimeException {
    public LedgerNotFoundException(String channelId, Path ledgerDir) {
        super("no ledger for channel " + channelId + " in " + ledgerDir);
    }
}
