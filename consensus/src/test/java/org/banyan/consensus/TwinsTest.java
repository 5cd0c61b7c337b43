package org.banyan.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Twins (Bano et al.): every enumerated leader schedule × partition of n = 4 with a twinned replica. */
class TwinsTest {
    @Test
    void everyEnumeratedTwinsScenarioKeepsAgreementValidityAndLiveness() {
        List<Simulator.Result> failures = IntStream.range(0, Scenario.TWINS_ENUMERATED).parallel()
                .mapToObj(i -> Simulator.run(Scenario.twins(i, SafetyPlant.NONE))).filter(r -> !r.ok()).toList();
        StringBuilder report = new StringBuilder();
        for (Simulator.Result failure : failures.subList(0, Math.min(5, failures.size()))) {
            report.append("\nscenario ").append(failure.seed() - 1_000_000L).append(" [").append(failure.kind())
                    .append("] ").append(Scenario.twins((int) (failure.seed() - 1_000_000L), SafetyPlant.NONE))
                    .append("\n  ").append(failure.violation());
        }
        System.out.printf("twins: scenarios=%d failures=%d%s%n", Scenario.TWINS_ENUMERATED, failures.size(), report);
        assertThat(failures).as("twins failures:%s", report).isEmpty();
    }

    @Test
    void enumerationCatchesTheTwoFQuorumPlant() {
        long caught = IntStream.range(0, Scenario.TWINS_ENUMERATED).parallel()
                .mapToObj(i -> new Simulator(Scenario.twins(i, SafetyPlant.QUORUM_2F), false).run())
                .filter(r -> "agreement".equals(r.kind())).count();
        System.out.printf("twins with QUORUM_2F: %d of %d scenarios break agreement%n", caught,
                Scenario.TWINS_ENUMERATED);
        assertThat(caught).isPositive();
    }
}
