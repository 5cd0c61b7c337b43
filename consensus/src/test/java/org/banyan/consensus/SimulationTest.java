package org.banyan.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the seeded simulator over many scenarios (5,000 by default, 100,000 with {@code -Dbanyan.soak=true}, one
 * with {@code -Dbanyan.sim.seed=N}). A failure prints its seed, the scenario and a command that replays it.
 */
class SimulationTest {
    static final long SEED_BASE = 1;
    static final int SCENARIOS = 5_000;
    static final int SOAK_SCENARIOS = 100_000;
    static final int CODEC_SCENARIOS = 200;

    static String replayCommand(long seed) {
        return "./mvnw -o -q -B verify -pl consensus -am -Dtest=SimulationTest -Dbanyan.sim.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    @Test
    void seededScenariosKeepAgreementValidityAndLiveness() {
        String single = System.getProperty("banyan.sim.seed");
        long first = single != null ? Long.parseLong(single) : Long.getLong("banyan.sim.seedBase", SEED_BASE);
        int count = single != null ? 1 : Boolean.getBoolean("banyan.soak") ? SOAK_SCENARIOS
                : Integer.getInteger("banyan.sim.scenarios", SCENARIOS);
        long startNanos = System.nanoTime();
        List<Simulator.Result> results = LongStream.range(first, first + count).parallel()
                .mapToObj(seed -> Simulator.run(Scenario.random(seed, SafetyPlant.NONE))).toList();
        long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
        long steps = results.stream().mapToLong(Simulator.Result::steps).sum();
        long minSteps = results.stream().mapToLong(Simulator.Result::steps).min().orElse(0);
        long simulatedMillis = results.stream().mapToLong(Simulator.Result::simulatedMillis).sum();
        long settleMaxMillis = results.stream().mapToLong(Simulator.Result::settleMillis).max().orElse(0);
        long attacks = results.stream().mapToLong(Simulator.Result::attacks).sum();
        System.out.printf("simulation: scenarios=%d steps=%d (min %d per scenario) simulatedSeconds=%d wallMillis=%d"
                + " settleMaxMillis=%d byzantineAttacks=%d%n", count, steps, minSteps, simulatedMillis / 1000,
                wallMillis, settleMaxMillis, attacks);
        List<Simulator.Result> failures = results.stream().filter(r -> !r.ok()).toList();
        StringBuilder report = new StringBuilder();
        for (Simulator.Result failure : failures.subList(0, Math.min(5, failures.size()))) {
            report.append("\nseed ").append(failure.seed()).append(" [").append(failure.kind()).append("] ")
                    .append(Scenario.random(failure.seed(), SafetyPlant.NONE)).append("\n  ")
                    .append(failure.violation()).append("\n  replay: ").append(replayCommand(failure.seed()));
        }
        failures.stream().collect(java.util.stream.Collectors.groupingBy(Simulator.Result::kind,
                java.util.stream.Collectors.mapping(Simulator.Result::seed, java.util.stream.Collectors.toList())))
                .forEach((kind, seeds) -> report.append("\n").append(kind).append(": ").append(seeds));
        System.out.println(report);
        assertThat(failures).as("%d of %d scenarios failed:%s", failures.size(), count, report).isEmpty();
    }

    /**
     * The same real protocol runs with every message and every persisted record going through
     * {@code WireCodec} / {@code SafetyStateCodec}: each must pass and be identical (steps, time, attacks) to
     * the run without codecs, so the codecs lose nothing the protocol uses. {@code -Dbanyan.sim.codecScenarios}.
     */
    @Test
    void codecsAreTransparentToRealProtocolRuns() {
        int count = Integer.getInteger("banyan.sim.codecScenarios", CODEC_SCENARIOS);
        long startNanos = System.nanoTime();
        List<String> failures = LongStream.rangeClosed(1, count).parallel().mapToObj(seed -> {
            Scenario scenario = Scenario.random(seed, SafetyPlant.NONE);
            Simulator.Result coded = Simulator.runThroughCodecs(scenario);
            Simulator.Result plain = Simulator.run(scenario);
            return coded.ok() && coded.equals(plain) ? null
                    : "seed " + seed + ": through codecs " + coded + "\n  plain " + plain;
        }).filter(java.util.Objects::nonNull).toList();
        System.out.printf("simulation through codecs: scenarios=%d wallMillis=%d%n", count,
                (System.nanoTime() - startNanos) / 1_000_000);
        assertThat(failures).as("runs through the codecs").isEmpty();
    }
}
