package org.banyan.ledger.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.ledger.validation.ValidationFixture.GENERATED;
import static org.banyan.ledger.validation.ValidationFixture.NAMESPACE;
import static org.banyan.ledger.validation.ValidationFixture.allPeers;
import static org.banyan.ledger.validation.ValidationFixture.peer;
import static org.banyan.ledger.validation.ValidationFixture.read;
import static org.banyan.ledger.validation.ValidationFixture.readAbsent;
import static org.banyan.ledger.validation.ValidationFixture.tx;
import static org.banyan.ledger.validation.ValidationFixture.write;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_CREATOR_SIGNATURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_PAYLOAD;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.DUPLICATE_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.TARGET_CHAIN_NOT_FOUND;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.banyan.ledger.state.Version;
import org.banyan.protocol.policy.SignaturePolicies;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockValidatorTest {
    @TempDir
    Path dir;
    private ValidationFixture fixture;
    private ExecutorService executor;
    private BlockValidator validator;

    @BeforeEach
    void setUp() {
        fixture = new ValidationFixture(dir);
        executor = Executors.newFixedThreadPool(4);
        validator = ValidationFixture.validator(executor);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        fixture.close();
    }

    private static KVRWSet.Builder rw() {
        return KVRWSet.newBuilder();
    }

    private Envelope endorsedByBoth(KVRWSet.Builder rwSet) {
        return tx(rwSet.build(), peer(1), peer(2));
    }

    @Test
    void aWellEndorsedTransactionIsValidAndItsWritesAreCommitted() {
        assertThat(fixture.commit(validator, endorsedByBoth(rw().addWrites(write("k1", "v1"))))).containsExactly(VALID);
        assertThat(fixture.ledger.state(NAMESPACE, "k1").orElseThrow().version()).isEqualTo(new Version(1, 0));
    }

    @Test
    void theDefaultMajorityOfTwoOrganisationsNeedsBoth() {
        assertThat(fixture.commit(validator, tx(rw().addWrites(write("k1", "v1")).build(), peer(1))))
                .containsExactly(ENDORSEMENT_POLICY_FAILURE);
        assertThat(fixture.ledger.state(NAMESPACE, "k1")).isEmpty();
    }

    @Test
    void aChaincodePolicyOfItsOwnIsEnforced() {
        ChaincodeDefinitions definitions = namespace -> Optional.of(new ChaincodeDefinition(namespace,
                new EndorsementPolicy.Signature(SignaturePolicies.compile(allPeers("Org1MSP", "Org2MSP")),
                        "AND('Org1MSP.peer','Org2MSP.peer')")));
        var config = GENERATED.config();
        var registry = org.banyan.crypto.msp.MspRegistry.of(config.msps().values());
        BlockValidator custom = new BlockValidator(config, registry,
                org.banyan.protocol.policy.PolicyEvaluator.of(config, registry), definitions, executor);
        BlockValidation validation = fixture.validate(custom, fixture.block(List.of(
                tx(rw().addWrites(write("k1", "v1")).build(), peer(1)).toByteString(),
                tx(rw().addWrites(write("k2", "v2")).build(), peer(1), peer(2)).toByteString(),
                tx(rw().addWrites(write("k3", "v3")).build(), peer(1), peer(1)).toByteString())));
        assertThat(validation.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID, ENDORSEMENT_POLICY_FAILURE);
        assertThat(validation.reasons().get(0)).contains("AND('Org1MSP.peer','Org2MSP.peer')");
    }

    @Test
    void aNamespaceWithoutChaincodeIsInvalid() {
        BlockValidator none = new BlockValidator(GENERATED.config(),
                org.banyan.crypto.msp.MspRegistry.of(GENERATED.config().msps().values()),
                org.banyan.protocol.policy.PolicyEvaluator.of(GENERATED.config(),
                        org.banyan.crypto.msp.MspRegistry.of(GENERATED.config().msps().values())),
                namespace -> Optional.empty(), executor);
        assertThat(fixture.commit(none, endorsedByBoth(rw().addWrites(write("k1", "v1")))))
                .containsExactly(org.hyperledger.fabric.protos.peer.TxValidationCode.INVALID_CHAINCODE);
    }

    @Test
    void twoTransactionsOfABlockReadingAndWritingTheSameVersionConflict() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("k1", "v1"))));
        Envelope first = endorsedByBoth(rw().addReads(read("k1", 1, 0)).addWrites(write("k1", "a")));
        Envelope second = endorsedByBoth(rw().addReads(read("k1", 1, 0)).addWrites(write("k1", "b")));
        assertThat(fixture.commit(validator, first, second)).containsExactly(VALID, MVCC_READ_CONFLICT);
        assertThat(fixture.ledger.state(NAMESPACE, "k1").orElseThrow().value().toStringUtf8()).isEqualTo("a");
    }

    @Test
    void aStaleReadOfCommittedStateConflicts() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("k1", "v1"))));
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("k1", "v2"))));
        assertThat(fixture.commit(validator,
                endorsedByBoth(rw().addReads(read("k1", 1, 0)).addWrites(write("x", "1"))),
                endorsedByBoth(rw().addReads(readAbsent("k1")).addWrites(write("y", "1"))),
                endorsedByBoth(rw().addReads(read("k1", 2, 0)).addReads(readAbsent("nope")).addWrites(write("z", "1")))))
                .containsExactly(MVCC_READ_CONFLICT, MVCC_READ_CONFLICT, VALID);
    }

    private static RangeQueryInfo range(String start, String end, KVRead... reads) {
        return RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end).setItrExhausted(true)
                .setRawReads(QueryReads.newBuilder().addAllKvReads(List.of(reads))).build();
    }

    @Test
    void anInsertIntoAScannedRangeIsAPhantomInTheBlockAndInLaterBlocks() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("a1", "1")).addWrites(write("a3", "3"))));
        RangeQueryInfo scanned = range("a", "b", read("a1", 1, 0), read("a3", 1, 0));
        Envelope insert = endorsedByBoth(rw().addWrites(write("a2", "2")));
        Envelope scanInBlock = endorsedByBoth(rw().addRangeQueriesInfo(scanned).addWrites(write("s1", "x")));
        Envelope scanOutsideTheInsert = endorsedByBoth(rw().addRangeQueriesInfo(range("c", "d")).addWrites(write("s2", "x")));
        assertThat(fixture.commit(validator, insert, scanInBlock, scanOutsideTheInsert))
                .containsExactly(VALID, PHANTOM_READ_CONFLICT, VALID);
        Envelope scanLater = endorsedByBoth(rw().addRangeQueriesInfo(scanned).addWrites(write("s3", "x")));
        Envelope scanCurrent = endorsedByBoth(rw().addRangeQueriesInfo(
                range("a", "b", read("a1", 1, 0), read("a2", 2, 0), read("a3", 1, 0))).addWrites(write("s4", "x")));
        assertThat(fixture.commit(validator, scanLater, scanCurrent)).containsExactly(PHANTOM_READ_CONFLICT, VALID);
    }

    @Test
    void aDeleteInAScannedRangeAndAnUnexhaustedIteratorsEndKeyCount() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("a1", "1")).addWrites(write("a2", "2"))
                .addWrites(write("a3", "3"))));
        // Not exhausted: the simulation stopped after a2, so the range is [a1, a2] and a3 does not matter.
        RangeQueryInfo partial = RangeQueryInfo.newBuilder().setStartKey("a1").setEndKey("a2").setItrExhausted(false)
                .setRawReads(QueryReads.newBuilder().addKvReads(read("a1", 1, 0)).addKvReads(read("a2", 1, 0))).build();
        Envelope deleteA3 = endorsedByBoth(rw().addWrites(write("a3", "").toBuilder().setIsDelete(true)));
        Envelope scanPartial = endorsedByBoth(rw().addRangeQueriesInfo(partial).addWrites(write("s1", "x")));
        Envelope deleteA2 = endorsedByBoth(rw().addWrites(write("a2", "").toBuilder().setIsDelete(true)));
        Envelope scanPartialAgain = endorsedByBoth(rw().addRangeQueriesInfo(partial).addWrites(write("s2", "x")));
        assertThat(fixture.commit(validator, deleteA3, scanPartial, deleteA2, scanPartialAgain))
                .containsExactly(VALID, VALID, VALID, PHANTOM_READ_CONFLICT);
    }

    @Test
    void merkleSummarisedRangesAreReexecuted() {
        KVRWSet.Builder keys = rw();
        for (int i = 0; i < 7; i++) {
            keys.addWrites(write("m" + i, "v"));
        }
        fixture.commit(validator, endorsedByBoth(keys));
        RangeQueryHashes hashes = new RangeQueryHashes(2);
        for (int i = 0; i < 7; i++) {
            hashes.add(read("m" + i, 1, 0));
        }
        RangeQueryInfo summarised = RangeQueryInfo.newBuilder().setStartKey("m").setEndKey("n").setItrExhausted(true)
                .setReadsMerkleHashes(hashes.done()).build();
        Envelope scan = endorsedByBoth(rw().addRangeQueriesInfo(summarised).addWrites(write("s1", "x")));
        Envelope insert = endorsedByBoth(rw().addWrites(write("m35", "v")));
        Envelope scanAfterInsert = endorsedByBoth(rw().addRangeQueriesInfo(summarised).addWrites(write("s2", "x")));
        assertThat(fixture.commit(validator, scan, insert, scanAfterInsert)).containsExactly(VALID, VALID, PHANTOM_READ_CONFLICT);
    }

    @Test
    void aRepeatedTxIdIsADuplicateInTheBlockAndAcrossBlocks() {
        Envelope tx = endorsedByBoth(rw().addWrites(write("k1", "v1")));
        assertThat(fixture.commit(validator, tx, tx)).containsExactly(VALID, DUPLICATE_TXID);
        assertThat(fixture.commit(validator, tx)).containsExactly(DUPLICATE_TXID);
    }

    @Test
    void aForgedCreatorSignatureIsNeverValid() {
        Envelope good = endorsedByBoth(rw().addWrites(write("k1", "v1")));
        Envelope badSignature = good.toBuilder().setSignature(ValidationFixture.flipLastByte(good.getSignature())).build();
        Envelope otherPayload = endorsedByBoth(rw().addWrites(write("k2", "v2"))).toBuilder()
                .setSignature(good.getSignature()).build();
        assertThat(fixture.commit(validator, badSignature, otherPayload)).containsExactly(BAD_CREATOR_SIGNATURE, BAD_CREATOR_SIGNATURE);
        assertThat(fixture.ledger.state(NAMESPACE, "k1")).isEmpty();
    }

    @Test
    void aCreatorOfAnMspOutsideTheChannelIsABadCreator() {
        Envelope byOutsider = org.banyan.protocol.EndorserTransactions.build(
                new org.banyan.protocol.EndorserTransactions.Invocation(ValidationFixture.CHANNEL, NAMESPACE, List.of(),
                        org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet.getDefaultInstance(),
                        com.google.protobuf.Timestamp.getDefaultInstance(), new byte[24]),
                GENERATED.user(3, 1), List.of(peer(1), peer(2)));
        assertThat(fixture.commit(validator, byOutsider)).containsExactly(BAD_CREATOR_SIGNATURE);
    }

    @Test
    void aForgedEndorsementSignatureDoesNotCount() throws Exception {
        Envelope forged = ValidationFixture.forgeEndorsement(endorsedByBoth(rw().addWrites(write("k1", "v1"))), 1);
        assertThat(fixture.commit(validator, forged)).containsExactly(ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void garbageAndOtherChannelsAreInvalid() {
        List<ByteString> envelopes = List.of(ByteString.copyFromUtf8("not an envelope"),
                ValidationFixture.tx("otherchannel", rw().addWrites(write("k1", "v1")).build(), peer(1), peer(2)).toByteString());
        assertThat(fixture.commitBytes(validator, envelopes)).containsExactly(BAD_PAYLOAD, TARGET_CHAIN_NOT_FOUND);
    }

    private static KVMetadataWrite keyPolicy(String key, String... mspIds) {
        return KVMetadataWrite.newBuilder().setKey(key).addEntries(KVMetadataEntry.newBuilder()
                .setName(EndorsementChecks.VALIDATION_PARAMETER).setValue(allPeers(mspIds).toByteString())).build();
    }

    @Test
    void aKeysOwnEndorsementPolicyReplacesTheChaincodes() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("owned", "1")).addMetadataWrites(keyPolicy("owned", "Org1MSP"))));
        assertThat(fixture.commit(validator,
                tx(rw().addWrites(write("owned", "2")).build(), peer(1)),
                tx(rw().addWrites(write("owned", "3")).addWrites(write("plain", "1")).build(), peer(1)),
                tx(rw().addWrites(write("owned", "4")).build(), peer(2))))
                .containsExactly(VALID, ENDORSEMENT_POLICY_FAILURE, ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void aKeyPolicyChangedEarlierInTheBlockInvalidatesLaterWriters() {
        fixture.commit(validator, endorsedByBoth(rw().addWrites(write("owned", "1"))));
        assertThat(fixture.commit(validator,
                endorsedByBoth(rw().addMetadataWrites(keyPolicy("owned", "Org2MSP"))),
                endorsedByBoth(rw().addWrites(write("owned", "2")))))
                .containsExactly(VALID, ENDORSEMENT_POLICY_FAILURE);
    }
}
