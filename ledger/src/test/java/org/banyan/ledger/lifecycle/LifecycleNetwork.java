package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.validation.BlockValidation;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.EndorserTransactions;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.testing.GeneratedChannel;
import org.banyan.protocol.testing.TestChains;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;

/**
 * A channel of generated organisations on a real RocksDB ledger, with one lifecycle node per organisation (its
 * own package store) and the validator a committing node runs: proposals are simulated on the organisations'
 * nodes, assembled into signed transactions endorsed by those nodes' peers, validated by {@link BlockValidator}
 * with {@link LifecycleDefinitions} and committed, block by block — the execute–order–validate path without
 * the network.
 */
final class LifecycleNetwork implements AutoCloseable {
    static final String CHANNEL = TestChains.CHANNEL;
    private static final AtomicLong NONCES = new AtomicLong();

    final GeneratedChannel generated;
    final ChannelLedger ledger;
    final LifecycleChannel channel;
    final LifecycleDefinitions definitions;
    final BlockValidator validator;
    final List<LifecycleChaincode> nodes = new ArrayList<>();
    /** Inside every generated certificate's validity: taken from a certificate, never from the clock. */
    final Instant now;
    private Block last;

    LifecycleNetwork(GeneratedChannel generated, int orgs, Path dir) {
        this.generated = generated;
        this.ledger = ChannelLedger.create(dir.resolve("ledger"), new TestChains(1, 8, 4).genesis());
        this.last = ledger.block(0).orElseThrow();
        this.channel = LifecycleChannel.of(generated.config());
        this.definitions = new LifecycleDefinitions(channel, CommittedLedger.of(ledger));
        this.validator = new BlockValidator(generated.config(), channel.registry(), channel.policies(), definitions,
                Runnable::run);
        this.now = generated.user(1, 1).certificate().getNotBefore().toInstant().plusSeconds(60);
        for (int org = 1; org <= orgs; org++) {
            String mspId = "Org" + org + "MSP";
            nodes.add(new LifecycleChaincode(generated.config().msps().get(mspId),
                    PackageStore.open(dir.resolve("packages-org" + org)),
                    () -> Map.of(CHANNEL, CommittedState.of(ledger))));
        }
    }

    LifecycleChaincode node(int org) {
        return nodes.get(org - 1);
    }

    /** What one node's simulation of a proposal gave. */
    record Proposal(Response response, TxReadWriteSet results) {
        boolean ok() {
            return response.getStatus() == 200;
        }

        <M extends Message> M payload(com.google.protobuf.Parser<M> parser) {
            assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(200);
            try {
                return parser.parseFrom(response.getPayload());
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Simulates {@code _lifecycle.<function>(args)} on {@code org}'s node over the committed ledger. */
    Proposal propose(int org, SigningIdentity creator, String function, Message args) {
        TxSimulator simulator = new TxSimulator("proposal-" + NONCES.incrementAndGet(), CommittedState.of(ledger));
        Response response = node(org).invoke(List.of(ByteString.copyFromUtf8(function), args.toByteString()),
                ByteString.copyFrom(creator.serialize()), now, channel, simulator);
        return new Proposal(response, simulator.results());
    }

    /**
     * A transaction by {@code creator} invoking {@code _lifecycle.<function>}, simulated and endorsed by each of
     * {@code orgs}' nodes, which must all succeed with the same read/write set.
     */
    Envelope lifecycleTx(SigningIdentity creator, String function, Message args, int... orgs) {
        TxReadWriteSet results = null;
        List<SigningIdentity> endorsers = new ArrayList<>();
        for (int org : orgs) {
            Proposal proposal = propose(org, creator, function, args);
            assertThat(proposal.response().getStatus()).as("Org%d: %s", org, proposal.response().getMessage())
                    .isEqualTo(200);
            if (results != null) {
                assertThat(proposal.results()).as("read/write set of Org%d", org).isEqualTo(results);
            }
            results = proposal.results();
            endorsers.add(generated.peer(org));
        }
        return envelope(creator, LifecycleNamespace.NAME,
                List.of(ByteString.copyFromUtf8(function), args.toByteString()), results, endorsers);
    }

    /** A signed endorser transaction with these results, endorsed by {@code endorsers}. */
    static Envelope envelope(SigningIdentity creator, String chaincode, List<ByteString> args, TxReadWriteSet results,
                             List<SigningIdentity> endorsers) {
        long n = NONCES.incrementAndGet();
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        return EndorserTransactions.build(new EndorserTransactions.Invocation(CHANNEL, chaincode, args, results,
                Timestamp.newBuilder().setSeconds(1_700_000_000L + n).build(), nonce), creator, endorsers);
    }

    /** Org {@code org}'s admin approves on the org's node; the transaction is endorsed by the org's peer. */
    Envelope approveTx(int org, ApproveChaincodeDefinitionForMyOrgArgs args) {
        return lifecycleTx(generated.admin(org), LifecycleNamespace.APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, args, org);
    }

    /** Validates the next block over the transactions, commits it, tells the definitions cache; the codes. */
    List<TxValidationCode> commitBlock(Envelope... txs) {
        return validation(txs).codes();
    }

    BlockValidation validation(Envelope... txs) {
        List<ByteString> envelopes = new ArrayList<>();
        for (Envelope tx : txs) {
            envelopes.add(tx.toByteString());
        }
        Block block = Blocks.next(last, envelopes);
        BlockValidation validation = validator.validate(block, CommittedLedger.of(ledger), now);
        last = validation.applyTo(block);
        ledger.commit(last);
        definitions.blockCommitted(last);
        return validation;
    }

    /** Approval arguments for chaincode {@code name}: version, sequence, policy (empty: the channel default), package. */
    static ApproveChaincodeDefinitionForMyOrgArgs approve(String name, String version, long sequence,
                                                          ByteString policy, String packageId) {
        ApproveChaincodeDefinitionForMyOrgArgs.Builder args = ApproveChaincodeDefinitionForMyOrgArgs.newBuilder()
                .setName(name).setVersion(version).setSequence(sequence).setValidationParameter(policy);
        if (!packageId.isEmpty()) {
            args.setSource(ChaincodeSource.newBuilder().setLocalPackage(
                    ChaincodeSource.Local.newBuilder().setPackageId(packageId)));
        }
        return args.build();
    }

    static CommitChaincodeDefinitionArgs commit(String name, String version, long sequence, ByteString policy) {
        return CommitChaincodeDefinitionArgs.newBuilder().setName(name).setVersion(version).setSequence(sequence)
                .setValidationParameter(policy).build();
    }

    static CheckCommitReadinessArgs readiness(String name, String version, long sequence, ByteString policy) {
        return CheckCommitReadinessArgs.newBuilder().setName(name).setVersion(version).setSequence(sequence)
                .setValidationParameter(policy).build();
    }

    /** An {@code ApplicationPolicy} requiring a peer of every one of the organisations ({@code AND(...)}). */
    static ByteString allPeersOf(String... mspIds) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        SignaturePolicy.NOutOf.Builder all = SignaturePolicy.NOutOf.newBuilder().setN(mspIds.length);
        for (int i = 0; i < mspIds.length; i++) {
            envelope.addIdentities(MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspIds[i]).setRole(MSPRole.MSPRoleType.PEER)
                            .build().toByteString()));
            all.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        return ApplicationPolicy.newBuilder()
                .setSignaturePolicy(envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(all))).build().toByteString();
    }

    /** {@code approvals} as Fabric's map result: MSP ID → approved. */
    static Map<String, Boolean> approvals(Map<String, Boolean> map) {
        return new TreeMap<>(map);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
