package org.banyan.ledger.validation;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The input of the ledger benchmarks: blocks of endorser transactions as a four-organisation channel orders them,
 * each signed by {@code User1@org1} and endorsed by the peers of Org1–Org3, which satisfies the channel's default
 * {@code MAJORITY Endorsement} policy (3 of 4). Crypto is really generated (ECDSA P-256, {@link GeneratedChannel}).
 * Every transaction writes its own key, so all of them are VALID. Not thread-safe: one benchmark thread.
 */
public final class EndorsedBlocks {
    public static final String CHANNEL = "benchchannel";
    public static final int ORGS = 4;

    private final GeneratedChannel channel = GeneratedChannel.create(CHANNEL, ORGS, 0, 1);
    private final SigningIdentity client = channel.user(1, 1);
    private final List<SigningIdentity> endorsers = List.of(channel.peer(1), channel.peer(2), channel.peer(3));
    /** Numbers every transaction of the trial, so tx ids and keys never repeat. */
    private int txCount;

    public Block genesis() {
        return channel.genesis();
    }

    public ChannelConfig config() {
        return channel.config();
    }

    /** The block after {@code previous} with {@code txs} new transactions and no validation codes yet. */
    public Block next(Block previous, int txs) {
        List<ByteString> envelopes = new ArrayList<>(txs);
        for (int i = 0; i < txs; i++) {
            envelopes.add(GeneratedChannel.endorserEnvelope(client, CHANNEL, txCount++, endorsers).toByteString());
        }
        return Blocks.next(previous, envelopes);
    }

    /**
     * {@code block} marked all VALID without running the validator (signing and validating 4 signatures per
     * transaction outside the measured code would cost more than what is measured); {@link #checkAllValid} shows
     * once per trial that the validator agrees.
     */
    public static Block markedValid(Block block) {
        return Blocks.withValidationCodes(block, Collections.nCopies(block.getData().getDataCount(), TxValidationCode.VALID));
    }

    /** Throws unless the validator finds every transaction of {@code block} VALID: the fixture is what it says. */
    public void checkAllValid(Block block, CommittedLedger ledger) {
        BlockValidation validation = BlockValidator.of(config(), Runnable::run)
                .validate(block, ledger, ValidityTime.atIssuance());
        if (validation.validCount() != block.getData().getDataCount()) {
            throw new IllegalStateException("benchmark block is not all VALID: " + validation.reasons());
        }
    }

    /** Deletes a benchmark's temporary directory and everything in it. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
