package org.banyan.ledger.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.ledger.validation.ValidationFixture.peer;
import static org.banyan.ledger.validation.ValidationFixture.read;
import static org.banyan.ledger.validation.ValidationFixture.readAbsent;
import static org.banyan.ledger.validation.ValidationFixture.tx;
import static org.banyan.ledger.validation.ValidationFixture.write;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.banyan.crypto.SigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Parallel validation (steps 1–4 on a pool of threads) gives the same codes as validating on the calling
 * thread, for random blocks mixing conflicting reads, duplicates, forged signatures and missing endorsements.
 */
class ParallelValidationProperties {
    private static ExecutorService pool;
    private static Path dir;
    private static ValidationFixture fixture;

    @BeforeContainer
    static void setUp() throws IOException {
        pool = Executors.newFixedThreadPool(8);
        dir = Files.createTempDirectory("banyan-validation");
        fixture = new ValidationFixture(dir);
        // Committed state to read against: k0..k4 at (1, 0).
        KVRWSet.Builder keys = KVRWSet.newBuilder();
        for (int k = 0; k < 5; k++) {
            keys.addWrites(write("k" + k, "v"));
        }
        fixture.commit(ValidationFixture.validator(Runnable::run), tx(keys.build(), peer(1), peer(2)));
    }

    @AfterContainer
    static void tearDown() {
        pool.shutdownNow();
        fixture.close();
    }

    @Property(tries = 25)
    void parallelAndSequentialValidationAgree(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        int count = 1 + random.nextInt(12);
        List<ByteString> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(randomTransaction(random, envelopes).toByteString());
        }
        Block block = fixture.block(envelopes);
        BlockValidation sequential = fixture.validate(ValidationFixture.validator(Runnable::run), block);
        BlockValidation parallel = fixture.validate(ValidationFixture.validator(pool), block);
        assertThat(parallel).isEqualTo(sequential);
        assertThat(sequential.codes()).hasSize(count).doesNotContain(TxValidationCode.NOT_VALIDATED);
    }

    private static Envelope randomTransaction(Random random, List<ByteString> earlier) throws Exception {
        if (!earlier.isEmpty() && random.nextInt(8) == 0) {
            return Envelope.parseFrom(earlier.get(random.nextInt(earlier.size()))); // a replay: DUPLICATE_TXID
        }
        KVRWSet.Builder rwSet = KVRWSet.newBuilder();
        for (int r = random.nextInt(3); r > 0; r--) {
            String key = "k" + random.nextInt(7);
            rwSet.addReads(random.nextBoolean() ? read(key, 1, 0) : readAbsent(key));
        }
        for (int w = 1 + random.nextInt(2); w > 0; w--) {
            rwSet.addWrites(write("k" + random.nextInt(7), "x" + random.nextInt(100)));
        }
        List<SigningIdentity> endorsers = new ArrayList<>(List.of(peer(1), peer(2)));
        if (random.nextInt(5) == 0) {
            endorsers.remove(random.nextInt(2));
        }
        Envelope envelope = tx(rwSet.build(), endorsers.toArray(SigningIdentity[]::new));
        return switch (random.nextInt(10)) {
            case 0 -> envelope.toBuilder().setSignature(ValidationFixture.flipLastByte(envelope.getSignature())).build();
            case 1 -> ValidationFixture.forgeEndorsement(envelope, 0);
            default -> envelope;
        };
    }
}
