package org.banyan.ledger;

import java.nio.file.Path;

/** {@link ChannelLedger#create} found a channel that already has blocks. */
public final class LedgerExistsException extends RuntimeException {
    public LedgerExistsException(String channelId, Path ledgerDir) {
        super("channel " + channelId + " already has a ledger in " + ledgerDir);
    }
}
