package org.banyan.node.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.banyan.consensus.Actions;
import org.banyan.consensus.ConsensusConfig;
import org.banyan.consensus.Digest;
import org.banyan.consensus.Payload;
import org.banyan.consensus.QuorumCert;
import org.banyan.consensus.ReplicaId;
import org.banyan.consensus.ReplicaSignature;
import org.banyan.consensus.Round;
import org.banyan.consensus.VoteData;
import org.banyan.consensus.VoteSigner;
import org.banyan.consensus.codec.CodecLimits;
import org.banyan.consensus.codec.WireCodec;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.msp.MspFolder;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.sign.SignatureVerifier;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.LedgerVerifier;
import org.banyan.ledger.VerificationResult;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.node.TestEnvelopes;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.BlockMetadataSlots;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.ChannelProfile;
import org.banyan.protocol.config.OrgDefinition;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Consenter;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four drivers, each writing its commits to its own ChannelLedger through a {@link LedgerCommitSink}. */
class LedgerCommitSinkClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANNEL = "ledgerchannel";
    private static final int TXS = 50;

    @TempDir
    Path dir;

    private InMemoryCluster cluster;
    private final List<ChannelLedger> ledgers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        ledgers.forEach(ChannelLedger::close);
    }

    @Test
    void fourLedgersHoldTheSameCertifiedBlocks() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(dir.resolve("crypto"), 4, KeyType.ECDSA_P256, 1);
        List<OrgDefinition> orgs = new ArrayList<>();
        List<VoteSigner> signers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GeneratedOrg org = network.orgs().get(i);
            ByteString identity = ByteString.copyFrom(Files.readAllBytes(onlyFile(org.ordererMspDir().resolve("signcerts"))));
            ByteString tls = ByteString.copyFrom(Files.readAllBytes(org.ordererTlsDir().resolve("server.crt")));
            orgs.add(new OrgDefinition(MspFolder.load(org.mspDir(), org.mspId()), "127.0.0.1", 7050 + i, identity, tls));
            signers.add(new MspVoteSigner(LocalSigningIdentity.load(org.ordererMspDir(), org.mspId())));
        }
        Block genesis = ChannelConfigs.genesisBlock(new ChannelProfile(CHANNEL, orgs, ChannelProfile.BatchParameters.DEFAULTS));
        ChannelConfig channel = ChannelConfigs.fromBlock(genesis);
        MspSignatureVerifier verifier = MspSignatureVerifier.of(channel.consenters(), SignatureVerifier.withDefaults());

        ConsensusConfig defaults = ConsensusConfig.defaults(4);
        ConsensusConfig config = new ConsensusConfig(4, 10, defaults.proposalBytesMax(), 300, 2_000, false,
                defaults.pendingPayloadsMax(), defaults.treeBlocksMax(), defaults.retainedBlocksMax(),
                defaults.recentPayloadIdsMax(), defaults.syncBlocksMax(), defaults.roundsAheadMax());
        WireCodec codec = new WireCodec(CodecLimits.from(config));
        LedgerOptions options = LedgerOptions.defaults().withStores(LedgerOptions.IN_MEMORY);
        List<LedgerCommitSink> sinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ChannelLedger ledger = ChannelLedger.create(dir.resolve("ledger" + i), genesis, options);
            ledgers.add(ledger);
            sinks.add(new LedgerCommitSink(ledger, channel, codec, BlockValidator.of(channel, Runnable::run), (block, nanos) -> {}));
        }
        cluster = new InMemoryCluster(config, Files.createDirectories(dir.resolve("state")), signers, verifier,
                sinks::get);

        GeneratedOrg clientOrg = network.orgs().getFirst();
        LocalSigningIdentity client = LocalSigningIdentity.load(clientOrg.userMspDirs().getFirst(), clientOrg.mspId());
        // Peers of three of the four organisations: the channel's MAJORITY Endorsement.
        List<LocalSigningIdentity> endorsers = network.orgs().subList(1, 4).stream()
                .map(org -> LocalSigningIdentity.load(org.peerMspDir(), org.mspId())).toList();
        Set<String> txIds = new HashSet<>();
        for (int i = 0; i < TXS; i++) {
            Envelope envelope = TestEnvelopes.write(CHANNEL, client, i, 16, endorsers);
            String txId = TransactionParser.parse(envelope).txId();
            txIds.add(txId);
            assertThat(cluster.drivers.get(i % 4).submit(new Payload(txId, envelope.toByteArray()))).isTrue();
        }

        assertThat(InMemoryCluster.await(WAIT, () -> allValid(txIds)))
                .as("all four ledgers commit all %d transactions: %s", TXS, progress(txIds)).isTrue();
        cluster.close();
        for (ConsensusDriver driver : cluster.drivers) {
            assertThat(driver.failure()).isNull();
        }
        // A replica may be one empty block ahead: the tail block that gave the last payload block its commit
        // certificate is committed only by replicas that saw the next certificate. The common prefix must agree.
        long height = ledgers.stream().mapToLong(ChannelLedger::height).min().orElseThrow();
        assertThat(height).isGreaterThan(1);
        for (ChannelLedger ledger : ledgers) {
            assertThat(ledger.height()).isBetween(height, height + 1);
            for (long n = 0; n < height; n++) {
                assertThat(BlockHashing.headerHash(ledger.block(n).orElseThrow().getHeader()))
                        .as("block %d", n)
                        .isEqualTo(BlockHashing.headerHash(ledgers.getFirst().block(n).orElseThrow().getHeader()));
            }
        }
        for (long n = 1; n < height; n++) {
            assertCertified(ledgers.getFirst().block(n).orElseThrow(), channel.consenters(), codec, verifier);
        }
        for (int i = 0; i < 4; i++) {
            // What a restarted driver would start from: the same tip the replica committed, rebuilt from the ledger.
            LedgerChain.Recovered recovered = LedgerChain.recover(ledgers.get(i), codec, 5);
            assertThat(recovered.tip()).isEqualTo(cluster.drivers.get(i).committedTip());
            assertThat(recovered.recentBlocks()).hasSize((int) Math.min(5, ledgers.get(i).height() - 1));
            assertThat(recovered.tipCommitQc().orElseThrow().voteData().parentId()).isEqualTo(recovered.tip().blockId());
        }
        ledgers.forEach(ChannelLedger::close);
        for (int i = 0; i < 4; i++) {
            VerificationResult result = LedgerVerifier.verifyBlocks(dir.resolve("ledger" + i), CHANNEL);
            assertThat(result.ok()).as("ledger %d: %s", i, result.describe()).isTrue();
        }
    }

    @Test
    void redeliveredBlocksAreSkippedAndAForkIsRefused() throws Exception {
        GeneratedNetwork network = CryptoGenerator.generate(dir.resolve("crypto"), 1, KeyType.ECDSA_P256, 1);
        GeneratedOrg genOrg = network.orgs().getFirst();
        ByteString identity = ByteString.copyFrom(Files.readAllBytes(onlyFile(genOrg.ordererMspDir().resolve("signcerts"))));
        ByteString tls = ByteString.copyFrom(Files.readAllBytes(genOrg.ordererTlsDir().resolve("server.crt")));
        OrgDefinition definition = new OrgDefinition(MspFolder.load(genOrg.mspDir(), genOrg.mspId()), "127.0.0.1", 7050,
                identity, tls);
        Block genesis = ChannelConfigs.genesisBlock(new ChannelProfile(CHANNEL, List.of(definition),
                ChannelProfile.BatchParameters.DEFAULTS));
        ChannelLedger ledger = ChannelLedger.create(dir.resolve("ledger"), genesis,
                LedgerOptions.defaults().withStores(LedgerOptions.IN_MEMORY));
        ledgers.add(ledger);
        ChannelConfig channel = ChannelConfigs.fromBlock(genesis);
        LedgerCommitSink sink = new LedgerCommitSink(ledger, channel, new WireCodec(CodecLimits.from(
                ConsensusConfig.defaults(1))), BlockValidator.of(channel, Runnable::run), (block, nanos) -> {});
        LocalSigningIdentity client = LocalSigningIdentity.load(genOrg.userMspDirs().getFirst(), genOrg.mspId());
        Envelope envelope = TestEnvelopes.write(CHANNEL, client, 1, 16);
        Payload payload = new Payload(TransactionParser.parse(envelope).txId(), envelope.toByteArray());

        sink.deliver(commitOf(new org.banyan.consensus.Block(new Round(1), new ReplicaId(0),
                org.banyan.consensus.Block.genesisQc(), List.of(payload))));
        assertThat(ledger.height()).isEqualTo(2);
        sink.deliver(commitOf(new org.banyan.consensus.Block(new Round(1), new ReplicaId(0),
                org.banyan.consensus.Block.genesisQc(), List.of(payload))));
        assertThat(ledger.height()).as("a redelivered height is skipped").isEqualTo(2);
        Actions.Commit fork = commitOf(new org.banyan.consensus.Block(new Round(1), new ReplicaId(0),
                org.banyan.consensus.Block.genesisQc(), List.of()));
        assertThatThrownBy(() -> sink.deliver(fork)).isInstanceOf(IllegalStateException.class);
        assertThat(ledger.height()).isEqualTo(2);
    }

    /** A commit of {@code block} under a certificate with one (unchecked) signature. */
    private static Actions.Commit commitOf(org.banyan.consensus.Block block) {
        VoteData child = new VoteData(Digest.sha256(new byte[] {1}), block.round().next(), block.height().next(),
                block.id(), block.round());
        return new Actions.Commit(List.of(block),
                new QuorumCert(child, List.of(new ReplicaSignature(new ReplicaId(0), new byte[] {7}))));
    }

    private static void assertCertified(Block block, List<Consenter> consenters, WireCodec codec,
            MspSignatureVerifier verifier) throws Exception {
        Metadata metadata = Metadata.parseFrom(Blocks.metadata(block, BlockMetadataSlots.SIGNATURES));
        OrdererBlockMetadata value = OrdererBlockMetadata.parseFrom(metadata.getValue());
        assertThat(value.getLastConfig().getIndex()).isZero();
        QuorumCert qc = codec.decodeWitness(value.getConsenterMetadata().toByteArray()).commitQc();
        assertThat(qc.voteData().commitsParent()).isTrue();
        assertThat(metadata.getSignaturesCount()).isEqualTo(qc.signatures().size()).isGreaterThanOrEqualTo(3);
        Set<Integer> signers = new HashSet<>();
        for (MetadataSignature signature : metadata.getSignaturesList()) {
            SerializedIdentity creator = SerializedIdentity.parseFrom(
                    SignatureHeader.parseFrom(signature.getSignatureHeader()).getCreator());
            int replica = -1;
            for (int i = 0; i < consenters.size(); i++) {
                if (consenters.get(i).getIdentity().equals(creator.getIdBytes())) {
                    replica = i;
                    assertThat(creator.getMspid()).isEqualTo(consenters.get(i).getMspId());
                }
            }
            assertThat(replica).as("block %d signer is a consenter", block.getHeader().getNumber()).isNotNegative();
            assertThat(verifier.verify(new ReplicaId(replica), qc.voteData().signingBytes(),
                    signature.getSignature().toByteArray())).as("block %d signer %d", block.getHeader().getNumber(),
                    replica).isTrue();
            signers.add(replica);
        }
        assertThat(signers).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            assertThat(Blocks.validationCode(block, i)).isEqualTo(TxValidationCode.VALID);
        }
    }

    private boolean allValid(Set<String> txIds) {
        for (ChannelLedger ledger : ledgers) {
            for (String txId : txIds) {
                if (ledger.transaction(txId).map(t -> t.validationCode() != TxValidationCode.VALID).orElse(true)) {
                    return false;
                }
            }
        }
        return true;
    }

    private String progress(Set<String> txIds) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ChannelLedger ledger = ledgers.get(i);
            lines.add("replica " + i + ": consensus payloads " + cluster.committedPayloadIds(i).size() + ", ledger height "
                    + ledger.height() + ", first tx " + ledger.transaction(txIds.iterator().next()).map(t -> t.validationCode()) + ", failure "
                    + cluster.drivers.get(i).failure());
        }
        return String.join("\n", lines);
    }

    private static Path onlyFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }
}
