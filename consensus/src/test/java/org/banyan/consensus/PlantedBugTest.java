package org.banyan.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shows the simulator catches deliberate safety bugs: each plant must produce an agreement violation within the
 * budget of seeds. The checker's certificate-size check is switched off here, so the fork itself is what is
 * caught (with it on, a 2f certificate is also reported as a validity violation at the first commit).
 */
class PlantedBugTest {
    static final int SEEDS_MAX = 1_000;

    @ParameterizedTest
    @EnumSource(value = SafetyPlant.class, names = {"SKIP_LOCK_CHECK", "QUORUM_2F"})
    void simulatorFindsAnAgreementViolation(SafetyPlant plant) {
        Simulator.Result found = null;
        int tried = 0;
        for (long seed = 1; seed <= SEEDS_MAX && found == null; seed++) {
            tried++;
            Simulator.Result result = new Simulator(Scenario.random(seed, plant), false).run();
            if ("agreement".equals(result.kind())) {
                found = result;
            }
        }
        System.out.printf("plant %s: %s after %d seeds%n", plant,
                found == null ? "NOT caught" : "caught at seed " + found.seed() + ": " + found.violation(), tried);
        assertThat(found).as("plant %s not caught within %d seeds", plant, SEEDS_MAX).isNotNull();
    }
}
