package org.banyan.consensus.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.banyan.consensus.Block;
import org.banyan.consensus.Message;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.SafetyState;

/** Round trips and hostile-input safety of {@link WireCodec} and {@link SafetyStateCodec}. */
class WireCodecProperties {
    private static final WireCodec CODEC = new WireCodec(CodecArbitraries.LIMITS);
    private static final SafetyStateCodec STATE_CODEC = new SafetyStateCodec(CodecArbitraries.LIMITS);

    @Provide
    Arbitrary<Message> messages() {
        return CodecArbitraries.messages();
    }

    @Provide
    Arbitrary<SafetyState> states() {
        return CodecArbitraries.safetyStates();
    }

    @Provide
    Arbitrary<List<Block>> savedBlocks() {
        return CodecArbitraries.blocks().list().ofMaxSize(CodecArbitraries.CONFIG.treeBlocksMax());
    }

    @Provide
    Arbitrary<QuorumCert> quorumCerts() {
        return CodecArbitraries.qcs();
    }

    /** The commit certificate stored in a block's SIGNATURES metadata round-trips byte for byte. */
    @Property(tries = 300)
    void quorumCertificatesRoundTrip(@ForAll("quorumCerts") QuorumCert qc) throws MalformedMessageException {
        byte[] bytes = CODEC.encodeQuorumCert(qc);
        QuorumCert decoded = CODEC.decodeQuorumCert(bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(qc);
        assertThat(CODEC.encodeQuorumCert(decoded)).isEqualTo(bytes);
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CODEC.decodeQuorumCert(prefix))
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    /** The block witness stored with each ledger block round-trips and rebuilds the same consensus block. */
    @Property(tries = 300)
    void blockWitnessesRoundTrip(@ForAll("blocks") Block block, @ForAll("quorumCerts") QuorumCert commitQc)
            throws MalformedMessageException {
        byte[] bytes = CODEC.encodeWitness(BlockWitness.of(block, commitQc));
        BlockWitness decoded = CODEC.decodeWitness(bytes);
        assertThat(decoded.block(block.payloads()).id()).isEqualTo(block.id());
        assertThat(decoded.commitQc()).usingRecursiveComparison().isEqualTo(commitQc);
        assertThat(CODEC.encodeWitness(decoded)).isEqualTo(bytes);
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CODEC.decodeWitness(prefix))
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Provide
    Arbitrary<Block> blocks() {
        return CodecArbitraries.blocks();
    }

    @Property(tries = 1_000)
    void everyMessageRoundTrips(@ForAll("messages") Message message) throws MalformedMessageException {
        byte[] bytes = CODEC.encode(message);
        Message decoded = CODEC.decode(bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(message);
        assertThat(decoded.getClass()).isEqualTo(message.getClass());
        if (!(message instanceof Message.Vote || message instanceof Message.Timeout)) {
            assertThat(decoded).isEqualTo(message); // records with byte[] fields compare by reference
        }
        assertThat(CODEC.encode(decoded)).isEqualTo(bytes);
        assertThat(CODEC.encode(message)).as("deterministic").isEqualTo(bytes);
    }

    /**
     * Every strict prefix and every single-byte change (three values per position) of a valid encoding either
     * decodes to a message whose encoding is exactly those bytes, or throws {@link MalformedMessageException};
     * any other throwable fails the property.
     */
    @Property(tries = 100)
    void everyTruncationAndByteMutationIsRejectedOrCanonical(@ForAll("messages") Message message) {
        byte[] bytes = CODEC.encode(message);
        for (int length = 0; length < bytes.length; length++) {
            decodeRejectedOrCanonical(Arrays.copyOf(bytes, length));
        }
        for (int i = 0; i < bytes.length; i++) {
            for (int delta : new int[] {1, 0x80, 0xff}) {
                byte[] mutated = bytes.clone();
                mutated[i] = (byte) (mutated[i] ^ delta);
                decodeRejectedOrCanonical(mutated);
            }
        }
    }

    static void decodeRejectedOrCanonical(byte[] bytes) {
        Message decoded;
        try {
            decoded = CODEC.decode(bytes);
        } catch (MalformedMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(CODEC.encode(decoded)).as("a mutation that decodes must be canonical").isEqualTo(bytes);
    }

    @Property(tries = 200)
    void safetyStateWithBlocksRoundTrips(@ForAll("states") SafetyState state,
            @ForAll("savedBlocks") List<Block> blocks) throws CorruptStateException {
        byte[] record = STATE_CODEC.encode(state, blocks);
        SafetyStateCodec.Saved saved = STATE_CODEC.decode(record);
        assertThat(saved.state()).isEqualTo(state);
        assertThat(saved.blocks()).isEqualTo(blocks);
        assertThat(saved.blocks()).usingRecursiveComparison().isEqualTo(blocks);
        assertThat(STATE_CODEC.encode(saved.state(), saved.blocks())).isEqualTo(record);
    }

    /** CRC32C detects every single-bit error and every burst of up to 32 bits: each must be reported. */
    @Property(tries = 40)
    void everyTornOrCorruptedRecordIsDetected(@ForAll("states") SafetyState state,
            @ForAll("savedBlocks") List<Block> blocks) {
        byte[] record = STATE_CODEC.encode(state, blocks);
        for (int length = 0; length < record.length; length++) {
            assertCorrupt(Arrays.copyOf(record, length));
        }
        for (int i = 0; i < record.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] corrupted = record.clone();
                corrupted[i] ^= (byte) (1 << bit);
                assertCorrupt(corrupted);
            }
        }
    }

    static void assertCorrupt(byte[] record) {
        try {
            STATE_CODEC.decode(record);
        } catch (CorruptStateException expected) {
            return;
        }
        throw new AssertionError("corrupt record of " + record.length + " bytes decoded");
    }
}
