package org.banyan.consensus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The signed byte strings of the protocol other than votes (see {@link VoteData#signingBytes()}). */
public final class Signatures {
    private static final byte[] TIMEOUT_DOMAIN = "banyan/consensus/timeout/v1".getBytes(StandardCharsets.US_ASCII);

    private Signatures() {}

    /** What a replica signs when it times out {@code round} holding a QC of {@code highQcRound}. */
    public static byte[] timeoutBytes(Round round, Round highQcRound) {
        return ByteBuffer.allocate(TIMEOUT_DOMAIN.length + 16).put(TIMEOUT_DOMAIN).putLong(round.value())
                .putLong(highQcRound.value()).array();
    }
}
