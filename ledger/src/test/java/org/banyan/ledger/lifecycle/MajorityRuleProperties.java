package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.banyan.ledger.storage.TempDirectory;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;

/**
 * The majority rule against a reference: on a channel of four organisations, each approves the definition,
 * approves another one, or nothing; a commit is then offered to every organisation's node. A node endorses it
 * exactly when its organisation approved that definition, and the commit is VALID exactly when more than half of
 * the organisations did (Fabric's default {@code MAJORITY Endorsement} lifecycle policy).
 */
class MajorityRuleProperties {
    static final int ORGS = 4;
    static final GeneratedChannel GENERATED = GeneratedChannel.create(LifecycleNetwork.CHANNEL, ORGS, 0, 1);

    enum Choice { APPROVE, APPROVE_OTHER, NOTHING }

    @Provide
    Arbitrary<List<Choice>> choices() {
        return Arbitraries.of(Choice.class).list().ofSize(ORGS);
    }

    @Property(tries = 20)
    void aCommitIsValidExactlyWithAMajorityOfMatchingApprovals(@ForAll("choices") List<Choice> choices) {
        try (TempDirectory dir = new TempDirectory("banyan-majority");
             LifecycleNetwork net = new LifecycleNetwork(GENERATED, ORGS, dir.path())) {
            Map<String, Boolean> expectedApprovals = new TreeMap<>();
            for (int org = 1; org <= ORGS; org++) {
                Choice choice = choices.get(org - 1);
                if (choice != Choice.NOTHING) {
                    String version = choice == Choice.APPROVE ? "1.0" : "1.0-other";
                    assertThat(net.commitBlock(net.approveTx(org, LifecycleNetwork.approve("cc", version, 1,
                            ByteString.EMPTY, "")))).containsExactly(TxValidationCode.VALID);
                }
                expectedApprovals.put("Org" + org + "MSP", choice == Choice.APPROVE);
            }
            CheckCommitReadinessResult ready = net.propose(1, GENERATED.admin(1), LifecycleNamespace.CHECK_COMMIT_READINESS,
                    LifecycleNetwork.readiness("cc", "1.0", 1, ByteString.EMPTY)).payload(CheckCommitReadinessResult.parser());
            assertThat(ready.getApprovalsMap()).isEqualTo(expectedApprovals);

            List<Integer> endorsing = new ArrayList<>();
            for (int org = 1; org <= ORGS; org++) {
                Response response = net.propose(org, GENERATED.admin(org), LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION,
                        LifecycleNetwork.commit("cc", "1.0", 1, ByteString.EMPTY)).response();
                assertThat(response.getStatus() == 200).as(response.getMessage())
                        .isEqualTo(choices.get(org - 1) == Choice.APPROVE);
                if (response.getStatus() == 200) {
                    endorsing.add(org);
                }
            }
            long matching = choices.stream().filter(c -> c == Choice.APPROVE).count();
            if (endorsing.isEmpty()) {
                assertThat(matching).isZero();
                return;
            }
            List<TxValidationCode> codes = net.commitBlock(net.lifecycleTx(GENERATED.admin(endorsing.get(0)),
                    LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION, LifecycleNetwork.commit("cc", "1.0", 1, ByteString.EMPTY),
                    endorsing.stream().mapToInt(Integer::intValue).toArray()));
            boolean majority = matching > ORGS / 2;
            assertThat(codes).containsExactly(majority ? TxValidationCode.VALID : TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
            assertThat(net.definitions.definition("cc").isPresent()).isEqualTo(majority);
        }
    }
}
