package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.CHANNEL;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.allPeersOf;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.approve;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.commit;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.readiness;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.CHECK_COMMIT_READINESS;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.QUERY_APPROVED_CHAINCODE_DEFINITION;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.QUERY_CHAINCODE_DEFINITION;
import static org.banyan.ledger.lifecycle.LifecycleNamespace.QUERY_CHAINCODE_DEFINITIONS;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.INVALID_CHAINCODE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.validation.ChaincodeDefinition;
import org.banyan.ledger.validation.EndorsementPolicy;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fabric's {@code _lifecycle} end to end on a three-organisation channel: approvals, commits under the majority
 * rule, sequence rules, upgrades taking effect from the next block (through {@code BlockValidator}), and the
 * endorser's check of a chaincode that is not committed or not installed — with Fabric's messages.
 */
class LifecycleTest {
    static final GeneratedChannel GENERATED = GeneratedChannel.create(CHANNEL, 3, 1, 1);
    static final String CC = "asset";
    static final ByteString DEFAULT_POLICY = ByteString.EMPTY;

    @TempDir
    Path dir;
    LifecycleNetwork net;

    @BeforeEach
    void setUp() {
        net = new LifecycleNetwork(GENERATED, 3, dir);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private SigningIdentity admin(int org) {
        return GENERATED.admin(org);
    }

    private Envelope approveTx(int org, String version, long sequence, ByteString policy) {
        return net.approveTx(org, approve(CC, version, sequence, policy, ""));
    }

    private Envelope commitTx(String version, long sequence, ByteString policy, int... orgs) {
        return net.lifecycleTx(admin(orgs[0]), COMMIT_CHAINCODE_DEFINITION, commit(CC, version, sequence, policy), orgs);
    }

    private Response propose(int org, String function, com.google.protobuf.Message args) {
        return net.propose(org, admin(org), function, args).response();
    }

    private void defineVersion1(int... approvers) {
        for (int org : approvers) {
            assertThat(net.commitBlock(approveTx(org, "1.0", 1, DEFAULT_POLICY))).containsExactly(VALID);
        }
        assertThat(net.commitBlock(commitTx("1.0", 1, DEFAULT_POLICY, approvers))).containsExactly(VALID);
    }

    @Test
    void approvalByOneOfThreeOrganisationsCannotCommit() {
        assertThat(net.commitBlock(approveTx(1, "1.0", 1, DEFAULT_POLICY))).containsExactly(VALID);

        CheckCommitReadinessResult ready = net.propose(1, admin(1), CHECK_COMMIT_READINESS,
                readiness(CC, "1.0", 1, DEFAULT_POLICY)).payload(CheckCommitReadinessResult.parser());
        assertThat(ready.getApprovalsMap()).isEqualTo(Map.of("Org1MSP", true, "Org2MSP", false, "Org3MSP", false));

        // The other organisations' nodes refuse to endorse the commit: their organisation did not approve.
        for (int org = 2; org <= 3; org++) {
            Response refused = propose(org, COMMIT_CHAINCODE_DEFINITION, commit(CC, "1.0", 1, DEFAULT_POLICY));
            assertThat(refused.getStatus()).isEqualTo(500);
            assertThat(refused.getMessage()).isEqualTo("failed to invoke backing implementation of"
                    + " 'CommitChaincodeDefinition': chaincode definition not agreed to by this org (Org" + org + "MSP)");
        }
        // Org1 alone endorses it, which is not the channel's LifecycleEndorsement (MAJORITY Endorsement).
        assertThat(net.commitBlock(commitTx("1.0", 1, DEFAULT_POLICY, 1))).containsExactly(ENDORSEMENT_POLICY_FAILURE);

        Response query = propose(1, QUERY_CHAINCODE_DEFINITION, QueryChaincodeDefinitionArgs.newBuilder().setName(CC).build());
        assertThat(query.getStatus()).isEqualTo(404);
        assertThat(query.getMessage()).isEqualTo("namespace asset is not defined");
        assertThat(net.definitions.definition(CC)).isEmpty();
    }

    @Test
    void approvalByTwoOfThreeOrganisationsCommits() throws Exception {
        defineVersion1(1, 2);

        QueryChaincodeDefinitionResult defined = net.propose(3, GENERATED.user(3, 1), QUERY_CHAINCODE_DEFINITION,
                QueryChaincodeDefinitionArgs.newBuilder().setName(CC).build()).payload(QueryChaincodeDefinitionResult.parser());
        assertThat(defined.getSequence()).isEqualTo(1);
        assertThat(defined.getVersion()).isEqualTo("1.0");
        assertThat(defined.getEndorsementPlugin()).isEqualTo("escc");
        assertThat(defined.getValidationPlugin()).isEqualTo("vscc");
        assertThat(ApplicationPolicy.parseFrom(defined.getValidationParameter()).getChannelConfigPolicyReference())
                .isEqualTo("/Channel/Application/Endorsement");
        assertThat(defined.getApprovalsMap()).isEqualTo(Map.of("Org1MSP", true, "Org2MSP", true, "Org3MSP", false));

        ChaincodeDefinition definition = net.definitions.definition(CC).orElseThrow();
        assertThat(definition.sequence()).isEqualTo(1);
        assertThat(definition.version()).isEqualTo("1.0");
        assertThat(definition.endorsementPolicy()).isEqualTo(new EndorsementPolicy.ChannelPolicy("/Channel/Application/Endorsement"));

        QueryChaincodeDefinitionsResult all = net.propose(1, admin(1), QUERY_CHAINCODE_DEFINITIONS,
                QueryChaincodeDefinitionsArgs.getDefaultInstance()).payload(QueryChaincodeDefinitionsResult.parser());
        assertThat(all.getChaincodeDefinitionsList()).singleElement()
                .satisfies(d -> assertThat(d.getName()).isEqualTo(CC))
                .satisfies(d -> assertThat(d.getSequence()).isEqualTo(1));

        // Org3 may still approve the committed definition, catching up.
        assertThat(net.commitBlock(approveTx(3, "1.0", 1, DEFAULT_POLICY))).containsExactly(VALID);
        assertThat(net.propose(1, admin(1), QUERY_CHAINCODE_DEFINITION, QueryChaincodeDefinitionArgs.newBuilder()
                .setName(CC).build()).payload(QueryChaincodeDefinitionResult.parser()).getApprovalsMap())
                .containsEntry("Org3MSP", true);
    }

    @Test
    void aMismatchedApprovalIsNotCounted() {
        assertThat(net.commitBlock(approveTx(1, "1.0", 1, DEFAULT_POLICY))).containsExactly(VALID);
        // Org2 approves another policy for the same version and sequence.
        assertThat(net.commitBlock(approveTx(2, "1.0", 1, allPeersOf("Org1MSP", "Org2MSP")))).containsExactly(VALID);

        CheckCommitReadinessResult ready = net.propose(3, admin(3), CHECK_COMMIT_READINESS,
                readiness(CC, "1.0", 1, DEFAULT_POLICY)).payload(CheckCommitReadinessResult.parser());
        assertThat(ready.getApprovalsMap()).isEqualTo(Map.of("Org1MSP", true, "Org2MSP", false, "Org3MSP", false));
        Response refused = propose(2, COMMIT_CHAINCODE_DEFINITION, commit(CC, "1.0", 1, DEFAULT_POLICY));
        assertThat(refused.getMessage()).endsWith("chaincode definition not agreed to by this org (Org2MSP)");
        assertThat(net.commitBlock(commitTx("1.0", 1, DEFAULT_POLICY, 1))).containsExactly(ENDORSEMENT_POLICY_FAILURE);

        // What Org2 approved is what its node reports.
        QueryApprovedChaincodeDefinitionResult approved = net.propose(2, admin(2), QUERY_APPROVED_CHAINCODE_DEFINITION,
                QueryApprovedChaincodeDefinitionArgs.newBuilder().setName(CC).build())
                .payload(QueryApprovedChaincodeDefinitionResult.parser());
        assertThat(approved.getSequence()).isEqualTo(1);
        assertThat(approved.getValidationParameter()).isEqualTo(allPeersOf("Org1MSP", "Org2MSP"));
        assertThat(approved.getSource().hasUnavailable()).isTrue();
    }

    @Test
    void sequencesAdvanceOneAtATime() {
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "1.0", 0, DEFAULT_POLICY, ""))
                .getMessage()).isEqualTo("failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg':"
                + " requested sequence is 0, but first definable sequence number is 1");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "1.0", 2, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("requested sequence 2 is larger than the next available sequence number 1");
        assertThat(propose(1, COMMIT_CHAINCODE_DEFINITION, commit(CC, "1.0", 2, DEFAULT_POLICY)).getMessage())
                .endsWith("requested sequence is 2, but new definition must be sequence 1");

        defineVersion1(1, 2);

        // Already committed.
        assertThat(propose(1, COMMIT_CHAINCODE_DEFINITION, commit(CC, "1.0", 1, DEFAULT_POLICY)).getMessage())
                .isEqualTo("failed to invoke backing implementation of 'CommitChaincodeDefinition': requested sequence"
                        + " is 1, but new definition must be sequence 2");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "2.0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("attempted to redefine the current committed sequence (1) for namespace asset"
                + " with different parameters: expected Version '1.0' does not match passed Version '2.0'");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "1.0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("attempted to redefine the current committed sequence (1) for namespace asset");

        assertThat(net.commitBlock(approveTx(1, "2.0", 2, DEFAULT_POLICY))).containsExactly(VALID);
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "2.0", 2, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("attempted to redefine uncommitted sequence (2) for namespace asset with"
                + " unchanged content");
        assertThat(net.commitBlock(approveTx(2, "2.0", 2, DEFAULT_POLICY))).containsExactly(VALID);
        assertThat(net.commitBlock(commitTx("2.0", 2, DEFAULT_POLICY, 1, 2))).containsExactly(VALID);

        assertThat(propose(3, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "1.0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("currently defined sequence 2 is larger than requested sequence 1");
        assertThat(net.definitions.definition(CC).orElseThrow().sequence()).isEqualTo(2);
        assertThat(net.definitions.definition(CC).orElseThrow().version()).isEqualTo("2.0");
    }

    @Test
    void anUpgradeWithANewEndorsementPolicyTakesEffectFromTheNextBlock() {
        ByteString org1Only = allPeersOf("Org1MSP");
        ByteString org1AndOrg2 = allPeersOf("Org1MSP", "Org2MSP");
        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve(CC, "1.0", 1, org1Only, "")))).containsExactly(VALID);
        }
        assertThat(net.commitBlock(commitTx("1.0", 1, org1Only, 1, 2))).containsExactly(VALID);
        assertThat(net.commitBlock(assetWrite("a", GENERATED.peer(1)))).containsExactly(VALID);

        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve(CC, "2.0", 2, org1AndOrg2, "")))).containsExactly(VALID);
        }
        // Endorsed under sequence 1 (its read/write set reads the sequence, as a Fabric endorser records it).
        Envelope endorsedBeforeUpgrade = endorsedAssetWrite("b", GENERATED.peer(1), GENERATED.peer(2));
        // The upgrade's block: a transaction after the upgrade in the same block is still checked against the
        // policy committed through the previous block (Org1 alone).
        assertThat(net.commitBlock(assetWrite("c", GENERATED.peer(1)), commitTx("2.0", 2, org1AndOrg2, 1, 2),
                assetWrite("d", GENERATED.peer(1)))).containsExactly(VALID, VALID, VALID);

        // From the next block on, the new policy: Org1 alone no longer suffices.
        assertThat(net.commitBlock(assetWrite("e", GENERATED.peer(1)), assetWrite("f", GENERATED.peer(1), GENERATED.peer(2)),
                endorsedBeforeUpgrade)).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID, MVCC_READ_CONFLICT);
        assertThat(net.definitions.definition(CC).orElseThrow().validationParameter()).isEqualTo(org1AndOrg2);
        assertThat(net.ledger.state(CC, "d")).isPresent();
        assertThat(net.ledger.state(CC, "e")).isEmpty();
        assertThat(net.ledger.state(CC, "f")).isPresent();
    }

    @Test
    void anEndorserRefusesAChaincodeThatIsNotCommittedOrNotInstalled() {
        LifecycleChaincode node1 = net.node(1);
        assertThatThrownBy(() -> invocable(node1, CC))
                .isInstanceOf(LifecycleException.class)
                .hasMessage("make sure the chaincode asset has been successfully defined on channel testchannel and try"
                        + " again: chaincode asset not found");
        // Validation agrees: a write to a namespace with no committed definition is INVALID_CHAINCODE.
        assertThat(net.commitBlock(assetWrite("x", GENERATED.peer(1), GENERATED.peer(2)))).containsExactly(INVALID_CHAINCODE);

        byte[] pkg = TestPackages.goPackage("asset_1.0");
        String packageId = ChaincodePackage.packageId("asset_1.0", pkg);
        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve(CC, "1.0", 1, DEFAULT_POLICY, packageId))))
                    .containsExactly(VALID);
        }
        assertThat(net.commitBlock(commitTx("1.0", 1, DEFAULT_POLICY, 1, 2))).containsExactly(VALID);

        assertThatThrownBy(() -> invocable(node1, CC)).hasMessage("make sure the chaincode asset has been successfully"
                + " defined on channel testchannel and try again: chaincode definition for 'asset' exists, but chaincode"
                + " is not installed");
        assertThatThrownBy(() -> invocable(net.node(3), CC)).hasMessage("make sure the chaincode asset has been"
                + " successfully defined on channel testchannel and try again: chaincode definition for 'asset' at"
                + " sequence 1 on channel 'testchannel' has not yet been approved by this org");

        node1.packages().install(pkg);
        InvocableChaincode invocable = invocable(node1, CC);
        assertThat(invocable).isEqualTo(new InvocableChaincode(CC, 1, "1.0", false, "escc", packageId));
        assertThat(invocable(node1, LifecycleNamespace.NAME).packageId()).isEqualTo("_lifecycle.syscc");
    }

    @Test
    void theEndorserRecordsTheSequenceItRanUnder() {
        defineVersion1(1, 2);
        TxSimulator simulator = new TxSimulator("tx", CommittedState.of(net.ledger));
        assertThatThrownBy(() -> net.node(1).invocable(net.channel, CC, simulator, CommittedState.of(net.ledger)))
                .hasMessageEndingWith("exists, but chaincode is not installed");
        TxReadWriteSet results = simulator.results();
        assertThat(results.getNsRwsetList()).singleElement().satisfies(ns -> {
            assertThat(ns.getNamespace()).isEqualTo("_lifecycle");
            KVRWSet rw = KVRWSet.parseFrom(ns.getRwset());
            assertThat(rw.getReadsList()).singleElement().satisfies(read -> {
                assertThat(read.getKey()).isEqualTo("namespaces/fields/asset/Sequence");
                assertThat(read.hasVersion()).isTrue();
            });
            assertThat(rw.getWritesCount()).isZero();
        });
    }

    @Test
    void initRequiredIsEnforcedOncePerVersion() {
        defineVersion1(1, 2);
        InvocableChaincode info = new InvocableChaincode(CC, 1, "1.0", true, "escc", "asset_1.0:00");
        TxSimulator first = new TxSimulator("t1", CommittedState.of(net.ledger));
        assertThatThrownBy(() -> info.checkInit(first, false))
                .hasMessage("chaincode 'asset' has not been initialized for this version, must call as init first");
        TxSimulator init = new TxSimulator("t2", CommittedState.of(net.ledger));
        assertThat(info.checkInit(init, true)).isTrue();
        TxReadWriteSet initResults = init.results();
        assertThat(net.commitBlock(LifecycleNetwork.envelope(admin(1), CC, List.of(ByteString.copyFromUtf8("init")),
                initResults, List.of(GENERATED.peer(1), GENERATED.peer(2))))).containsExactly(VALID);

        TxSimulator after = new TxSimulator("t3", CommittedState.of(net.ledger));
        assertThat(info.checkInit(after, false)).isFalse();
        assertThatThrownBy(() -> info.checkInit(new TxSimulator("t4", CommittedState.of(net.ledger)), true))
                .hasMessage("chaincode 'asset' is already initialized but called as init");
        InvocableChaincode noInit = new InvocableChaincode(CC, 1, "1.0", false, "escc", "asset_1.0:00");
        assertThatThrownBy(() -> noInit.checkInit(new TxSimulator("t5", CommittedState.of(net.ledger)), true))
                .hasMessage("chaincode 'asset' does not require initialization but called as init");
        // A new version must be initialised again.
        InvocableChaincode version2 = new InvocableChaincode(CC, 2, "2.0", true, "escc", "asset_2.0:00");
        assertThatThrownBy(() -> version2.checkInit(new TxSimulator("t6", CommittedState.of(net.ledger)), false))
                .hasMessageContaining("has not been initialized for this version");
    }

    @Test
    void aChangedApprovalInvalidatesACommitInFlight() {
        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(approveTx(org, "1.0", 1, DEFAULT_POLICY))).containsExactly(VALID);
        }
        Envelope commitInFlight = commitTx("1.0", 1, DEFAULT_POLICY, 1, 2);
        Envelope org2ChangesItsMind = approveTx(2, "1.1", 1, DEFAULT_POLICY);
        assertThat(net.commitBlock(org2ChangesItsMind, commitInFlight)).containsExactly(VALID, MVCC_READ_CONFLICT);
        assertThat(net.definitions.definition(CC)).isEmpty();
    }

    @Test
    void approvalsAreWrittenOnlyWithTheirOrganisationsEndorsement() {
        // Org2's and Org3's peers (a majority) cannot write Org1's approval.
        Envelope forged = lifecycleWrite("_implicit_org_Org1MSP/namespaces/metadata/asset#1", GENERATED.peer(2),
                GENERATED.peer(3));
        // Nor anyone an approval of an organisation outside the channel.
        Envelope outsider = lifecycleWrite("_implicit_org_Org4MSP/namespaces/metadata/asset#1", GENERATED.peer(1),
                GENERATED.peer(2), GENERATED.peer(3));
        // A definition needs the LifecycleEndorsement majority, not one organisation.
        Envelope lonelyDefinition = lifecycleWrite("namespaces/metadata/asset", GENERATED.peer(1));
        Envelope ownApproval = lifecycleWrite("_implicit_org_Org1MSP/namespaces/metadata/asset#1", GENERATED.peer(1));
        Envelope majorityDefinition = lifecycleWrite("namespaces/metadata/other", GENERATED.peer(1), GENERATED.peer(3));
        assertThat(net.commitBlock(forged, outsider, lonelyDefinition, ownApproval, majorityDefinition)).containsExactly(
                ENDORSEMENT_POLICY_FAILURE, ENDORSEMENT_POLICY_FAILURE, ENDORSEMENT_POLICY_FAILURE, VALID, VALID);
    }

    @Test
    void theAclsAreFabricsDefaults() {
        Response byClient = net.propose(1, GENERATED.user(1, 1), APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG,
                approve(CC, "1.0", 1, DEFAULT_POLICY, "")).response();
        assertThat(byClient.getStatus()).isEqualTo(500);
        assertThat(byClient.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check: Failed"
                + " verifying that proposal's creator satisfies local MSP principal during channelless check policy"
                + " with policy [Admins]: [");
        Response byOtherAdmin = net.propose(1, admin(2), APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG,
                approve(CC, "1.0", 1, DEFAULT_POLICY, "")).response();
        assertThat(byOtherAdmin.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check:");
        Response byOutsider = net.propose(1, GENERATED.user(4, 1), COMMIT_CHAINCODE_DEFINITION,
                commit(CC, "1.0", 1, DEFAULT_POLICY)).response();
        assertThat(byOutsider.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check: failed"
                + " evaluating policy on signed data during check policy [/Channel/Application/Writers]: [");
    }

    @Test
    void malformedInvocationsGetFabricsAnswers() {
        SigningIdentity admin = admin(1);
        ByteString creator = ByteString.copyFrom(admin.serialize());
        TxSimulator simulator = new TxSimulator("tx", CommittedState.of(net.ledger));
        LifecycleChaincode node = net.node(1);
        assertThat(node.invoke(List.of(), creator, net.now, net.channel, simulator).getMessage())
                .isEqualTo("lifecycle scc must be invoked with arguments");
        assertThat(node.invoke(List.of(ByteString.copyFromUtf8("QueryChaincodeDefinitions")), creator, net.now,
                net.channel, simulator).getMessage())
                .isEqualTo("lifecycle scc operations require exactly two arguments but received 1");
        assertThat(node.invoke(List.of(ByteString.copyFromUtf8(QUERY_CHAINCODE_DEFINITION),
                ByteString.copyFrom(new byte[] {(byte) 0xff})), creator, net.now, net.channel, simulator).getMessage())
                .startsWith("failed to invoke backing implementation of 'QueryChaincodeDefinition': could not decode"
                        + " input arg for *lifecycle.Invocation.QueryChaincodeDefinition");
        assertThat(node.invoke(List.of(ByteString.copyFromUtf8("Upgrade"), ByteString.EMPTY), creator, net.now,
                net.channel, simulator).getMessage())
                .isEqualTo("Failed to authorize invocation due to failed ACL check: Unmapped policy for _lifecycle/Upgrade");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve("_bad", "1.0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("error validating chaincode definition: invalid chaincode name '_bad'. Names"
                + " can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve("lscc", "1.0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("chaincode name 'lscc' is the name of a system chaincode");
        assertThat(propose(1, APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG, approve(CC, "1 0", 1, DEFAULT_POLICY, ""))
                .getMessage()).endsWith("invalid chaincode version '1 0'. Versions can only consist of alphanumerics,"
                + " '_', '-', '+', and '.'");
        assertThat(node.invoke(List.of(ByteString.copyFromUtf8(APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG),
                approve(CC, "1.0", 1, DEFAULT_POLICY, "").toByteString()), creator, net.now).getMessage())
                .isEqualTo("failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': no"
                        + " application config for channel ''");
        assertThat(node.invoke(List.of(ByteString.copyFromUtf8(COMMIT_CHAINCODE_DEFINITION),
                commit(CC, "1.0", 1, DEFAULT_POLICY).toByteString()), creator, net.now).getMessage())
                .startsWith("Failed to authorize invocation due to failed ACL check:");
    }

    private InvocableChaincode invocable(LifecycleChaincode node, String chaincode) {
        return node.invocable(net.channel, chaincode, new TxSimulator("endorse", CommittedState.of(net.ledger)),
                CommittedState.of(net.ledger));
    }

    /** A transaction writing {@code asset/<key>}, endorsed as given, with no lifecycle read (a raw read/write set). */
    private static Envelope assetWrite(String key, SigningIdentity... endorsers) {
        return write(CC, key, endorsers);
    }

    /** A transaction writing {@code asset/<key>} as an endorser simulates it: reading the definition's sequence first. */
    private Envelope endorsedAssetWrite(String key, SigningIdentity... endorsers) {
        TxSimulator simulator = new TxSimulator("endorse", CommittedState.of(net.ledger));
        simulator.getState(LifecycleNamespace.NAME, "namespaces/fields/asset/Sequence");
        simulator.putState(CC, key, ByteString.copyFromUtf8("value-" + key));
        return LifecycleNetwork.envelope(GENERATED.user(1, 1), CC, List.of(ByteString.copyFromUtf8("put")),
                simulator.results(), List.of(endorsers));
    }

    private static Envelope lifecycleWrite(String key, SigningIdentity... endorsers) {
        return write(LifecycleNamespace.NAME, key, endorsers);
    }

    private static Envelope write(String namespace, String key, SigningIdentity... endorsers) {
        KVRWSet rw = KVRWSet.newBuilder()
                .addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("value-" + key))).build();
        TxReadWriteSet results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(rw.toByteString())).build();
        return LifecycleNetwork.envelope(GENERATED.user(1, 1), namespace, List.of(ByteString.copyFromUtf8("put")),
                results, List.of(endorsers));
    }
}
