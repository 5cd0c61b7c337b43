package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.approve;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.commit;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.ledger.validation.BlockValidation;
import org.banyan.ledger.validation.ChaincodeDefinition;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.ledger.validation.EndorsementPolicy;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeEndorsementInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeValidationInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.StateData;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definitions validation reads: Fabric's state layout, {@code _lifecycle}'s own policies, the cache. */
class LifecycleDefinitionsTest {
    static final GeneratedChannel GENERATED = LifecycleTest.GENERATED;

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

    private void define(String name, String version, long sequence) {
        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve(name, version, sequence, ByteString.EMPTY, ""))))
                    .containsExactly(VALID);
        }
        assertThat(net.commitBlock(commitTx(name, version, sequence))).containsExactly(VALID);
    }

    private Envelope commitTx(String name, String version, long sequence) {
        return net.lifecycleTx(GENERATED.admin(1), LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION,
                commit(name, version, sequence, ByteString.EMPTY), 1, 2);
    }

    @Test
    void theCommittedDefinitionUsesFabricsPublicKeysAndValues() throws Exception {
        define("asset", "1.0", 1);
        StateMetadata metadata = StateMetadata.parseFrom(net.ledger.state("_lifecycle", "namespaces/metadata/asset")
                .orElseThrow().value());
        assertThat(metadata.getDatatype()).isEqualTo("ChaincodeDefinition");
        assertThat(metadata.getFieldsList()).containsExactly("Sequence", "EndorsementInfo", "ValidationInfo", "Collections");
        assertThat(StateData.parseFrom(net.ledger.state("_lifecycle", "namespaces/fields/asset/Sequence").orElseThrow()
                .value()).getInt64()).isEqualTo(1);
        ChaincodeEndorsementInfo endorsement = ChaincodeEndorsementInfo.parseFrom(StateData.parseFrom(net.ledger
                .state("_lifecycle", "namespaces/fields/asset/EndorsementInfo").orElseThrow().value()).getBytes());
        assertThat(endorsement.getVersion()).isEqualTo("1.0");
        assertThat(endorsement.getEndorsementPlugin()).isEqualTo("escc");
        ChaincodeValidationInfo validation = ChaincodeValidationInfo.parseFrom(StateData.parseFrom(net.ledger
                .state("_lifecycle", "namespaces/fields/asset/ValidationInfo").orElseThrow().value()).getBytes());
        assertThat(validation.getValidationPlugin()).isEqualTo("vscc");
        assertThat(validation.getValidationParameter()).isEqualTo(ApplicationPolicies.reference("/Channel/Application/Endorsement"));
        // Each approving organisation's approval, under its implicit collection's name.
        StateMetadata approval = StateMetadata.parseFrom(net.ledger.state("_lifecycle",
                "_implicit_org_Org1MSP/namespaces/metadata/asset#1").orElseThrow().value());
        assertThat(approval.getDatatype()).isEqualTo("ChaincodeParameters");
        assertThat(approval.getFieldsList()).containsExactly("EndorsementInfo", "ValidationInfo", "Collections");
        assertThat(net.ledger.state("_lifecycle", "_implicit_org_Org1MSP/chaincode-sources/fields/asset#1/PackageID"))
                .isPresent();
        assertThat(net.ledger.state("_lifecycle", "_implicit_org_Org3MSP/namespaces/metadata/asset#1")).isEmpty();
    }

    @Test
    void lifecycleItselfIsDefinedWithTheChannelsPolicies() {
        ChaincodeDefinition lifecycle = net.definitions.definition("_lifecycle").orElseThrow();
        assertThat(lifecycle.endorsementPolicy())
                .isEqualTo(new EndorsementPolicy.ChannelPolicy("/Channel/Application/LifecycleEndorsement"));
        assertThat(lifecycle.keyPolicies().policy("_implicit_org_Org2MSP/namespaces/metadata/cc#1")).contains(
                new EndorsementPolicy.ChannelPolicy("/Channel/Application/Org2MSP/Endorsement"));
        assertThat(lifecycle.keyPolicies().policy("namespaces/metadata/cc")).isEmpty();
        // An organisation outside the channel: a policy nothing satisfies.
        assertThat(lifecycle.keyPolicies().policy("_implicit_org_Org9MSP/namespaces/metadata/cc#1")).get()
                .isInstanceOfSatisfying(EndorsementPolicy.Signature.class,
                        p -> assertThat(p.description()).isEqualTo("a policy nothing satisfies"));
    }

    @Test
    void theCacheNeverAnswersFromBeforeACommit() {
        define("asset", "1.0", 1);
        assertThat(net.definitions.definition("asset").orElseThrow().sequence()).isEqualTo(1); // now cached

        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve("asset", "2.0", 2, ByteString.EMPTY, ""))))
                    .containsExactly(VALID);
        }
        // Commit the upgrade without telling the definitions: they must not answer from their cache.
        Block upgrade = validateAndCommitQuietly(commitTx("asset", "2.0", 2));
        assertThat(net.definitions.definition("asset").orElseThrow().version()).isEqualTo("2.0");
        assertThat(net.definitions.definition("asset").orElseThrow().version()).isEqualTo("2.0");

        // A block reported late or out of order empties the cache; answers stay current.
        net.definitions.blockCommitted(upgrade);
        assertThat(net.definitions.definition("asset").orElseThrow().sequence()).isEqualTo(2);
        net.definitions.blockCommitted(net.ledger.block(1).orElseThrow());
        assertThat(net.definitions.definition("asset").orElseThrow().sequence()).isEqualTo(2);
    }

    @Test
    void aDefinitionBanyanCannotEvaluateRejectsEveryWrite() {
        // A definition written directly (with the LifecycleEndorsement majority) naming a validation plugin Banyan lacks.
        TxSimulator simulator = new TxSimulator("raw", CommittedState.of(net.ledger));
        new DefinedChaincode(1, new ChaincodeParameters(
                ChaincodeEndorsementInfo.newBuilder().setVersion("1").setEndorsementPlugin("escc").build(),
                ChaincodeValidationInfo.newBuilder().setValidationPlugin("custom-vscc")
                        .setValidationParameter(ApplicationPolicies.reference("/Channel/Application/Endorsement")).build(),
                CollectionConfigPackage.getDefaultInstance())).write(LifecycleState.of(simulator), "plugged");
        List<SigningIdentity> majority = List.of(GENERATED.peer(1), GENERATED.peer(2));
        assertThat(net.commitBlock(LifecycleNetwork.envelope(GENERATED.admin(1), "_lifecycle",
                List.of(ByteString.copyFromUtf8("raw")), simulator.results(), majority))).containsExactly(VALID);

        ChaincodeDefinition plugged = net.definitions.definition("plugged").orElseThrow();
        assertThat(plugged.sequence()).isEqualTo(1);
        TxSimulator write = new TxSimulator("w", CommittedState.of(net.ledger));
        write.putState("plugged", "k", ByteString.copyFromUtf8("v"));
        BlockValidation validation = net.validation(LifecycleNetwork.envelope(GENERATED.user(1, 1), "plugged",
                List.of(ByteString.copyFromUtf8("put")), write.results(),
                List.of(GENERATED.peer(1), GENERATED.peer(2), GENERATED.peer(3))));
        assertThat(validation.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE);
        assertThat(validation.reasons().get(0)).contains("validation plugin 'custom-vscc' is not available");
    }

    /** Validates and commits the next block without {@link LifecycleDefinitions#blockCommitted}. */
    private Block validateAndCommitQuietly(Envelope tx) {
        Block last = net.ledger.block(net.ledger.height() - 1).orElseThrow();
        Block block = Blocks.next(last, List.of(tx.toByteString()));
        BlockValidation validation = net.validator.validate(block, CommittedLedger.of(net.ledger), net.now);
        assertThat(validation.codes()).containsExactly(VALID);
        Block committed = validation.applyTo(block);
        net.ledger.commit(committed);
        return committed;
    }
}
