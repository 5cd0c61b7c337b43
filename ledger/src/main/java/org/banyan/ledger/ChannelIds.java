package org.banyan.ledger;

import java.util.regex.Pattern;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;

/** Channel names, which double as directory names. */
public final class ChannelIds {
    /** Fabric's rule ({@code configtx.ValidateChannelID}): lowercase letter first, then [a-z0-9.-], at most 249. */
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9.-]{0,248}");

    private ChannelIds() {}

    /** True when the name follows Fabric's channel naming rule. */
    public static boolean isValid(String channelId) {
        return channelId != null && VALID.matcher(channelId).matches();
    }

    /** @throws IllegalArgumentException when the name breaks Fabric's channel naming rule */
    public static String check(String channelId) {
        if (!isValid(channelId)) {
            throw new IllegalArgumentException("invalid channel ID '" + channelId
                    + "': must match [a-z][a-z0-9.-]* and be at most 249 characters");
        }
        return channelId;
    }

    /** The channel a genesis block belongs to, from its first envelope's channel header. */
    public static String ofGenesis(Block genesis) {
        if (genesis.getHeader().getNumber() != 0 || genesis.getData().getDataCount() == 0) {
            throw new IllegalArgumentException("not a genesis block: number " + genesis.getHeader().getNumber()
                    + ", " + genesis.getData().getDataCount() + " envelopes");
        }
        try {
            return check(TransactionParser.parse(Blocks.envelope(genesis, 0)).channelId());
        } catch (MalformedTransactionException e) {
            throw new IllegalArgumentException("genesis block envelope is malformed: " + e.getMessage(), e);
        }
    }
}
