package org.banyan.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.banyan.crypto.msp.ValidityTime;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

class SignaturePolicyProperties {
    private static final PolicyFixture F = PolicyFixture.INSTANCE;
    private static final Instant NOW = F.issuedAt().plus(Duration.ofDays(1));

    /**
     * {@code n} of {@code k} identical Org1 MEMBER leaves is met exactly when the distinct valid Org1 identities
     * among the signers cover {@code n} leaves: each identity fills at most one leaf, duplicates and identities
     * of other organisations (channel members or not) fill none.
     */
    @Property(tries = 200)
    void thresholdMatchesDistinctSatisfyingIdentities(@ForAll @IntRange(min = -1, max = 9) int n,
                                                      @ForAll @IntRange(max = 8) int leaves,
                                                      @ForAll @Size(max = 12) List<@IntRange(max = 15) Integer> picks) {
        List<ByteString> identities = new ArrayList<>();
        Set<Integer> distinctOrg1 = new HashSet<>();
        for (int pick : picks) {
            // 0..6: Org1's admin, peer, orderer, 4 users; 7..13 Org2's; 14, 15: outsiders.
            int org = pick < 7 ? 1 : pick < 14 ? 2 : 4;
            int index = pick < 14 ? pick % 7 : pick - 14;
            identities.add(PolicyFixture.bytes(F.channel.all(org).get(index)));
            if (org == 1) {
                distinctOrg1.add(index);
            }
        }
        MSPPrincipal[] principals = new MSPPrincipal[leaves];
        java.util.Arrays.fill(principals, PolicyEvaluatorTest.role(1, MSPRole.MSPRoleType.MEMBER));
        CompiledPolicy policy = SignaturePolicies.compile(PolicyEvaluatorTest.nOutOf(n, principals));

        PolicyVerdict verdict = policy.evaluate(Signers.of(identities, F.registry, ValidityTime.at(NOW)));

        assertThat(verdict.satisfied()).as("%d of %d leaves, %d distinct Org1 identities: %s", n, leaves,
                distinctOrg1.size(), verdict.reason()).isEqualTo(Math.min(leaves, distinctOrg1.size()) >= n);
    }
}
