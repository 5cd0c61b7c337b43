package org.banyan.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The gateway's choice of organisations: smallest satisfying set, own organisation first, failures avoided. */
class EndorsementPlannerTest {
    private static final List<String> ORGS = List.of("Org1", "Org2", "Org3", "Org4");

    /** AND(Org1, Org2). */
    private static final Predicate<Set<String>> ORG1_AND_ORG2 = orgs -> orgs.contains("Org1") && orgs.contains("Org2");

    /** MAJORITY of four. */
    private static final Predicate<Set<String>> MAJORITY = orgs -> orgs.size() >= 3;

    @Test
    void anAndPolicyAddsExactlyTheMissingOrganisations() {
        // A gateway of Org3 has its own endorsement; the policy needs Org1 and Org2 as well.
        assertThat(EndorsementPlanner.plan(List.of("Org3", "Org1", "Org2", "Org4"), List.of("Org3"), Set.of(),
                ORG1_AND_ORG2)).hasValueSatisfying(plan -> assertThat(plan).containsExactly("Org3", "Org1", "Org2"));
        // Org1's gateway needs only Org2.
        assertThat(EndorsementPlanner.plan(ORGS, List.of("Org1"), Set.of(), ORG1_AND_ORG2))
                .hasValueSatisfying(plan -> assertThat(plan).containsExactly("Org1", "Org2"));
    }

    @Test
    void aMajorityPrefersTheOrganisationsListedFirst() {
        assertThat(EndorsementPlanner.plan(List.of("Org2", "Org1", "Org3", "Org4"), List.of("Org2"), Set.of(),
                MAJORITY)).hasValueSatisfying(plan -> assertThat(plan).containsExactly("Org2", "Org1", "Org3"));
    }

    @Test
    void aFailedOrganisationIsReplacedWhenThePolicyAllows() {
        assertThat(EndorsementPlanner.plan(ORGS, List.of("Org1"), Set.of("Org2"), MAJORITY))
                .hasValueSatisfying(plan -> assertThat(plan).containsExactly("Org1", "Org3", "Org4"));
        assertThat(EndorsementPlanner.plan(ORGS, List.of("Org1"), Set.of("Org2"), ORG1_AND_ORG2)).isEmpty();
    }

    @Test
    void satisfiedAlreadyMeansNothingMoreToAsk() {
        assertThat(EndorsementPlanner.plan(ORGS, List.of("Org1", "Org2"), Set.of(), ORG1_AND_ORG2))
                .hasValueSatisfying(plan -> assertThat(plan).containsExactly("Org1", "Org2"));
    }

    /**
     * Against a brute-force reference, for weighted-threshold policies (every signature policy of ROLE principals
     * is monotone, and these are the monotone policies' common shape): the plan satisfies the policy, keeps what was
     * endorsed, avoids what failed, and no smaller such set exists.
     */
    @Property(tries = 300)
    void thePlanIsASmallestSatisfyingSet(@ForAll @Size(min = 1, max = 7) List<@IntRange(min = 0, max = 3) Integer> weights,
            @ForAll @IntRange(min = 1, max = 8) int threshold, @ForAll @IntRange(min = 0, max = 127) int failedMask,
            @ForAll @IntRange(min = 0, max = 6) int endorsedIndex) {
        List<String> orgs = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            orgs.add("Org" + i);
        }
        Predicate<Set<String>> policy = set -> set.stream().mapToInt(org -> weights.get(Integer.parseInt(org.substring(3))))
                .sum() >= threshold;
        String endorsed = orgs.get(endorsedIndex % orgs.size());
        Set<String> failed = new HashSet<>();
        for (int i = 0; i < orgs.size(); i++) {
            if ((failedMask & (1 << i)) != 0 && !orgs.get(i).equals(endorsed)) {
                failed.add(orgs.get(i));
            }
        }
        var plan = EndorsementPlanner.plan(orgs, List.of(endorsed), failed, policy);
        int smallest = smallestReference(orgs, endorsed, failed, policy);
        if (smallest < 0) {
            assertThat(plan).isEmpty();
        } else {
            assertThat(plan).isPresent();
            assertThat(policy.test(plan.get())).isTrue();
            assertThat(plan.get()).contains(endorsed);
            assertThat(plan.get().stream().filter(failed::contains)).isEmpty();
            assertThat(plan.get()).hasSize(smallest);
        }
    }

    /** The size of the smallest set containing {@code endorsed}, avoiding {@code failed}, satisfying; -1 if none. */
    private static int smallestReference(List<String> orgs, String endorsed, Set<String> failed,
            Predicate<Set<String>> policy) {
        int best = -1;
        for (int mask = 0; mask < (1 << orgs.size()); mask++) {
            Set<String> set = new HashSet<>();
            for (int i = 0; i < orgs.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    set.add(orgs.get(i));
                }
            }
            if (set.contains(endorsed) && set.stream().noneMatch(failed::contains) && policy.test(set)
                    && (best < 0 || set.size() < best)) {
                best = set.size();
            }
        }
        return best;
    }
}
