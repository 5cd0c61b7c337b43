package org.banyan.node.endorser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.LedgerOptions;
import org.banyan.ledger.lifecycle.ChaincodePackages;
import org.banyan.ledger.lifecycle.LifecycleChaincode;
import org.banyan.ledger.lifecycle.LifecycleChannel;
import org.banyan.ledger.lifecycle.LifecycleDefinitions;
import org.banyan.ledger.lifecycle.PackageStore;
import org.banyan.ledger.validation.BlockValidation;
import org.banyan.ledger.validation.BlockValidator;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeExecutor;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.testing.GeneratedChannel;
import org.banyan.crypto.msp.ValidityTime;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endorser against Fabric's rules, with generated identities and a real ledger; the chaincode is the one edge
 * replaced (a function of the input). The key check: responses from the peers of two of three organisations
 * assemble into an envelope that the commit-time validator marks VALID — endorser and validator agree on every
 * byte Fabric signs.
 */
class EndorserTest {
    private static final String CHANNEL = "endorsechannel";
    private static final GeneratedChannel NET = GeneratedChannel.create(CHANNEL, 3, 1, 1);

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private final Set<String> committedTxIds = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Response> chaincodeResponse = new AtomicReference<>(ok("done"));
    private final AtomicReference<TransactionContext> lastContext = new AtomicReference<>();
    private final AtomicReference<String> lastRegisteredId = new AtomicReference<>();
    /** What the endorsers told their observer, in order. */
    private final List<Endorser.Processed> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int nonces;

    private LifecycleDefinitions definitions;

    /**
     * A ledger on which chaincode {@code asset} is defined the Fabric way, through the endorsers under test: Org1
     * and Org2 install its package and approve (each endorsed by its own peer), then the definition is committed
     * with both peers' endorsements, each step a block validated and committed here.
     */
    @BeforeEach
    void defineAssetChaincode() throws Exception {
        ledger = ChannelLedger.create(dir.resolve("ledger"), NET.genesis(),
                LedgerOptions.defaults().withStores(LedgerOptions.IN_MEMORY));
        definitions = new LifecycleDefinitions(LifecycleChannel.of(NET.config()), CommittedLedger.of(ledger));
        byte[] chaincodePackage = ChaincodePackages.chaincodePackage("asset_1.0", "java", "asset",
                Map.of("README", "asset"));
        List<Envelope> approvals = new ArrayList<>();
        String packageId = "";
        for (int org = 1; org <= 2; org++) {
            ProposalResponse installed = endorser(org).process(lifecycleProposal(NET.admin(org), "",
                    "InstallChaincode", InstallChaincodeArgs.newBuilder()
                            .setChaincodeInstallPackage(ByteString.copyFrom(chaincodePackage)).build()));
            assertThat(installed.getResponse().getStatus()).as(installed.getResponse().getMessage()).isEqualTo(200);
            packageId = InstallChaincodeResult.parseFrom(installed.getResponse().getPayload()).getPackageId();
            SignedProposal approve = lifecycleProposal(NET.admin(org), CHANNEL, "ApproveChaincodeDefinitionForMyOrg",
                    ApproveChaincodeDefinitionForMyOrgArgs.newBuilder().setName("asset").setVersion("1.0")
                            .setSequence(1).setSource(ChaincodeSource.newBuilder().setLocalPackage(
                                    ChaincodeSource.Local.newBuilder().setPackageId(packageId))).build());
            approvals.add(Proposals.assemble(Proposal.parseFrom(approve.getProposalBytes()),
                    List.of(endorser(org).process(approve)), NET.admin(org)));
        }
        assertThat(commitBlock(approvals)).containsOnly(TxValidationCode.VALID);
        SignedProposal commit = lifecycleProposal(NET.admin(1), CHANNEL, "CommitChaincodeDefinition",
                CommitChaincodeDefinitionArgs.newBuilder().setName("asset").setVersion("1.0").setSequence(1).build());
        assertThat(commitBlock(List.of(Proposals.assemble(Proposal.parseFrom(commit.getProposalBytes()),
                List.of(endorser(1).process(commit), endorser(2).process(commit)), NET.admin(1)))))
                .containsOnly(TxValidationCode.VALID);
    }

    private SignedProposal lifecycleProposal(SigningIdentity admin, String channel, String function,
            com.google.protobuf.Message args) {
        return Proposals.create(new Proposals.Invocation(channel, "_lifecycle", List.of(
                ByteString.copyFromUtf8(function), args.toByteString()), Map.of(),
                Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build(), nonce()), admin);
    }

    /** Validates a block of the envelopes as a committing node does, commits it, and returns the codes. */
    private List<TxValidationCode> commitBlock(List<Envelope> envelopes) {
        List<ByteString> data = envelopes.stream().map(Envelope::toByteString).toList();
        Block block = Blocks.next(ledger.block(ledger.height() - 1).orElseThrow(), data);
        BlockValidation validation = validator().validate(block, CommittedLedger.of(ledger), ValidityTime.atIssuance());
        Block validated = validation.applyTo(block);
        ledger.commit(validated);
        definitions.blockCommitted(validated);
        return validation.codes();
    }

    private BlockValidator validator() {
        LifecycleChannel channel = LifecycleChannel.of(NET.config());
        return new BlockValidator(NET.config(), channel.registry(), channel.policies(), definitions, Runnable::run);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private Endorser endorser(SigningIdentity peer, Instant now) {
        MspRegistry registry = MspRegistry.of(NET.config().msps().values());
        PolicyEvaluator policies = PolicyEvaluator.of(NET.config(), registry);
        Endorser.Channel channel = new Endorser.Channel(registry, policies,
                txId -> committedTxIds.contains(txId) || ledger.containsTransaction(txId),
                () -> CommittedState.of(ledger), new LifecycleChannel(NET.config(), registry, policies));
        ChaincodeExecutor executor = (name, registeredId, input, context, simulator) -> {
            lastContext.set(context);
            lastRegisteredId.set(registeredId);
            if (input.getArgs(0).toStringUtf8().equals("crash")) {
                throw new ChaincodeExecutionException("transaction returned with failure: boom");
            }
            simulator.putState(name, input.getArgs(1).toStringUtf8(), ByteString.copyFromUtf8("v"));
            return new ChaincodeResult(chaincodeResponse.get(), Optional.of(ChaincodeEvent.newBuilder()
                    .setEventName("written").setChaincodeId(name).setTxId(context.txId()).build()), simulator.results());
        };
        FabricMSPConfig localMsp = NET.config().msps().get(((LocalSigningIdentity) peer).mspId());
        LifecycleChaincode lifecycle = new LifecycleChaincode(localMsp, PackageStore.open(dir.resolve("packages-"
                + localMsp.getName())), () -> Map.of(CHANNEL, CommittedState.of(ledger)));
        return new Endorser(id -> id.equals(CHANNEL) ? Optional.of(channel) : Optional.empty(), lifecycle, localMsp,
                executor, peer, () -> now, processed::add);
    }

    private Endorser endorser(int org) {
        return endorser(NET.peer(org), Instant.now());
    }

    private byte[] nonce() {
        byte[] nonce = new byte[TxIds.NONCE_BYTES];
        nonce[0] = (byte) ++nonces;
        nonce[1] = (byte) (nonces >> 8);
        return nonce;
    }

    private SignedProposal proposal(SigningIdentity client, String channel, String chaincode, String... args) {
        List<ByteString> argBytes = new ArrayList<>();
        for (String arg : args) {
            argBytes.add(ByteString.copyFromUtf8(arg));
        }
        return Proposals.create(new Proposals.Invocation(channel, chaincode, argBytes,
                Map.of("secret", ByteString.copyFromUtf8("not for the ledger")),
                Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build(), nonce()), client);
    }

    private static Response ok(String payload) {
        return Response.newBuilder().setStatus(200).setPayload(ByteString.copyFromUtf8(payload)).build();
    }

    @Test
    void endorsementsOfAMajorityAssembleIntoAValidTransaction() throws Exception {
        SigningIdentity client = NET.user(1, 1);
        SignedProposal signed = proposal(client, CHANNEL, "asset", "put", "k1");
        ProposalResponse first = endorser(1).process(signed);
        ProposalResponse second = endorser(2).process(signed);

        assertThat(first.getResponse().getStatus()).isEqualTo(200);
        assertThat(first.getResponse().getPayload().toStringUtf8()).isEqualTo("done");
        assertThat(first.getPayload()).as("deterministic simulation, same payload").isEqualTo(second.getPayload());
        assertThat(first.getEndorsement().getEndorser()).isEqualTo(ByteString.copyFrom(NET.peer(1).serialize()));
        ChaincodeAction action = ChaincodeAction.parseFrom(
                ProposalResponsePayload.parseFrom(first.getPayload()).getExtension());
        assertThat(action.getChaincodeId().getName()).isEqualTo("asset");
        assertThat(action.getChaincodeId().getVersion()).isEqualTo("1.0");
        assertThat(ChaincodeEvent.parseFrom(action.getEvents()).getEventName()).isEqualTo("written");
        assertThat(lastContext.get().signedProposal()).isEqualTo(signed);
        assertThat(lastRegisteredId.get()).as("the installed package runs it").startsWith("asset_1.0:");
        // The proposal read the definition's sequence, as Fabric's endorser records it: an upgrade before this
        // transaction commits invalidates it.
        assertThat(action.getResults().toStringUtf8()).contains("namespaces/fields/asset/Sequence");

        Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
        Envelope envelope = Proposals.assemble(proposal, List.of(first, second), client);
        assertThat(envelope.toByteString().toStringUtf8()).as("transient data stays off the ledger")
                .doesNotContain("not for the ledger");
        assertThat(validate(envelope)).isEqualTo(TxValidationCode.VALID);
        // One organisation of three is not a majority.
        assertThat(validate(Proposals.assemble(proposal, List.of(first), client)))
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    }

    /** The code the envelope would get in the next block (nothing is committed). */
    private TxValidationCode validate(Envelope envelope) {
        Block block = Blocks.next(ledger.block(ledger.height() - 1).orElseThrow(), List.of(envelope.toByteString()));
        return validator().validate(block, CommittedLedger.of(ledger), ValidityTime.atIssuance()).codes().getFirst();
    }

    @Test
    void aForgedSignatureOrAStrangerIsDeniedWithFabricsGenericMessage() {
        SignedProposal signed = proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k");
        byte[] forged = signed.getSignature().toByteArray();
        forged[forged.length - 1] ^= 1;
        SignedProposal tampered = signed.toBuilder().setSignature(ByteString.copyFrom(forged)).build();
        assertThatThrownBy(() -> endorser(1).process(tampered)).isInstanceOf(RefusedProposalException.class)
                .hasMessage("error validating proposal: access denied: channel [" + CHANNEL + "] creator org [Org1MSP]");
        // Org4 exists but is not a member of the channel.
        assertThatThrownBy(() -> endorser(1).process(proposal(NET.user(4, 1), CHANNEL, "asset", "put", "k")))
                .isInstanceOf(RefusedProposalException.class)
                .hasMessage("error validating proposal: access denied: channel [" + CHANNEL + "] creator org [Org4MSP]");
    }

    @Test
    void anExpiredClientIsRefusedByTheEndorsersClock() {
        SignedProposal signed = proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k");
        Endorser farFuture = endorser(NET.peer(1), Instant.now().plus(java.time.Duration.ofDays(36_500)));
        assertThatThrownBy(() -> farFuture.process(signed)).isInstanceOf(RefusedProposalException.class)
                .hasMessageContaining("access denied");
    }

    @Test
    void headerRulesAreFabrics() throws Exception {
        SignedProposal signed = proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k");
        Proposals.Unpacked unpacked = Proposals.unpack(Proposal.parseFrom(signed.getProposalBytes()));
        org.hyperledger.fabric.protos.common.ChannelHeader wrongTxId = unpacked.channelHeader().toBuilder()
                .setTxId("00").build();
        SignedProposal resigned = resign(NET.user(1, 1), unpacked, wrongTxId);
        assertThatThrownBy(() -> endorser(1).process(resigned)).isInstanceOf(RefusedProposalException.class)
                .hasMessageStartingWith("error validating proposal: incorrectly computed txid '00' -- expected '");
        SignedProposal epoch = resign(NET.user(1, 1), unpacked, unpacked.channelHeader().toBuilder().setEpoch(3).build());
        assertThatThrownBy(() -> endorser(1).process(epoch)).hasMessage("error validating proposal: epoch is non-zero");
        SignedProposal config = resign(NET.user(1, 1), unpacked, unpacked.channelHeader().toBuilder().setType(
                org.hyperledger.fabric.protos.common.HeaderType.MESSAGE_VALUE).build());
        assertThatThrownBy(() -> endorser(1).process(config))
                .hasMessage("error validating proposal: invalid header type MESSAGE");
        assertThatThrownBy(() -> endorser(1).process(SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFromUtf8("junk")).build()))
                .isInstanceOf(RefusedProposalException.class);
    }

    private static SignedProposal resign(LocalSigningIdentity client, Proposals.Unpacked unpacked,
            org.hyperledger.fabric.protos.common.ChannelHeader header) {
        Proposal proposal = unpacked.proposal().toBuilder().setHeader(org.hyperledger.fabric.protos.common.Header
                .newBuilder().setChannelHeader(header.toByteString())
                .setSignatureHeader(unpacked.signatureHeaderBytes()).build().toByteString()).build();
        return SignedProposal.newBuilder().setProposalBytes(proposal.toByteString())
                .setSignature(ByteString.copyFrom(client.sign(proposal.toByteArray()))).build();
    }

    @Test
    void aCommittedTransactionIsNotEndorsedAgain() {
        SignedProposal signed = proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k");
        committedTxIds.add(txIdOf(signed));
        assertThatThrownBy(() -> endorser(1).process(signed)).isInstanceOf(RefusedProposalException.class)
                .hasMessageStartingWith("duplicate transaction found [" + txIdOf(signed) + "]. Creator [");
    }

    private static String txIdOf(SignedProposal signed) {
        try {
            return Proposals.unpack(Proposal.parseFrom(signed.getProposalBytes())).txId();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theObserverIsToldOfEveryProposalWithItsOutcome() throws Exception {
        processed.clear();
        SignedProposal good = proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k");
        byte[] forged = good.getSignature().toByteArray();
        forged[forged.length - 1] ^= 1;

        endorser(1).process(good);
        endorser(1).process(proposal(NET.user(1, 1), CHANNEL, "nosuch", "put", "k"));
        endorser(1).process(proposal(NET.user(1, 1), "otherchannel", "asset", "put", "k"));
        assertThatThrownBy(() -> endorser(1).process(good.toBuilder().setSignature(ByteString.copyFrom(forged))
                .build())).isInstanceOf(RefusedProposalException.class);
        assertThatThrownBy(() -> endorser(1).process(SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFromUtf8("not a proposal")).build()))
                .isInstanceOf(RefusedProposalException.class);

        assertThat(processed).extracting(Endorser.Processed::channelId, Endorser.Processed::chaincodeName,
                Endorser.Processed::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CHANNEL, "asset", Endorser.Outcome.OK),
                        org.assertj.core.groups.Tuple.tuple(CHANNEL, "nosuch", Endorser.Outcome.ERROR),
                        org.assertj.core.groups.Tuple.tuple("otherchannel", "asset", Endorser.Outcome.ERROR),
                        org.assertj.core.groups.Tuple.tuple(CHANNEL, "asset", Endorser.Outcome.REFUSED),
                        org.assertj.core.groups.Tuple.tuple("", "", Endorser.Outcome.REFUSED));
        assertThat(processed).allMatch(p -> p.durationNanos() >= 0);
    }

    @Test
    void channelChaincodeAndChaincodeErrorsAreResponsesWithStatus500() throws Exception {
        ProposalResponse noChannel = endorser(1).process(proposal(NET.user(1, 1), "otherchannel", "asset", "put", "k"));
        assertThat(noChannel.getResponse().getStatus()).isEqualTo(500);
        assertThat(noChannel.getResponse().getMessage()).isEqualTo("channel 'otherchannel' not found");

        ProposalResponse undefined = endorser(1).process(proposal(NET.user(1, 1), CHANNEL, "nosuch", "put", "k"));
        assertThat(undefined.getResponse().getMessage()).isEqualTo("make sure the chaincode nosuch has been "
                + "successfully defined on channel " + CHANNEL + " and try again: chaincode nosuch not found");
        // Org3 did not approve the definition, so its node does not endorse it (Fabric's message).
        ProposalResponse unapproved = endorser(3).process(proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k"));
        assertThat(unapproved.getResponse().getMessage()).startsWith("make sure the chaincode asset has been "
                + "successfully defined on channel " + CHANNEL + " and try again: chaincode definition for 'asset'");
        assertThat(undefined.hasEndorsement()).isFalse();

        ProposalResponse crashed = endorser(1).process(proposal(NET.user(1, 1), CHANNEL, "asset", "crash", "k"));
        assertThat(crashed.getResponse().getStatus()).isEqualTo(500);
        assertThat(crashed.getResponse().getMessage())
                .isEqualTo("error in simulation: transaction returned with failure: boom");
        assertThat(crashed.hasEndorsement()).isFalse();
    }

    @Test
    void aRefusingChaincodeGetsNoEndorsement() throws Exception {
        chaincodeResponse.set(Response.newBuilder().setStatus(404).setMessage("asset k does not exist").build());
        ProposalResponse notFound = endorser(1).process(proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k"));
        assertThat(notFound.getResponse().getMessage()).isEqualTo("asset k does not exist");
        assertThat(notFound.getPayload().isEmpty()).isTrue();
        assertThat(notFound.hasEndorsement()).isFalse();

        chaincodeResponse.set(Response.newBuilder().setStatus(500).setMessage("insufficient funds").build());
        ProposalResponse refused = endorser(1).process(proposal(NET.user(1, 1), CHANNEL, "asset", "put", "k"));
        assertThat(refused.getResponse().getMessage()).isEqualTo("insufficient funds");
        assertThat(refused.getPayload().isEmpty()).as("Fabric returns the payload of a 500").isFalse();
        assertThat(refused.hasEndorsement()).isFalse();
        assertThatThrownBy(() -> Proposals.assemble(Proposal.parseFrom(proposal(NET.user(1, 1), CHANNEL, "asset",
                "put", "k").getProposalBytes()), List.of(refused), NET.user(1, 1)))
                .hasMessage("proposal response was not successful, error code 500, msg insufficient funds");
    }
}
