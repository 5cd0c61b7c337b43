package org.banyan.consensus;

/**
 * Runs a range of seeds outside JUnit: {@code SimulatorMain FIRST COUNT [PLANT]}; prints each failure with its
 * replay command and a summary line.
 */
final class SimulatorMain {
    private SimulatorMain() {}

    public static void main(String[] args) {
        long first = Long.parseLong(args[0]);
        long count = Long.parseLong(args[1]);
        SafetyPlant plant = args.length > 2 ? SafetyPlant.valueOf(args[2]) : SafetyPlant.NONE;
        long steps = 0;
        long failures = 0;
        long startNanos = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            Simulator.Result result = Simulator.run(Scenario.random(seed, plant));
            steps += result.steps();
            if (!result.ok()) {
                failures++;
                System.out.println("seed " + seed + " [" + result.kind() + "] " + Scenario.random(seed, plant) + "\n  "
                        + result.violation() + "\n  replay: " + SimulationTest.replayCommand(seed));
            }
        }
        System.out.printf("seeds %d..%d failures=%d steps=%d wallMillis=%d%n", first, first + count - 1, failures,
                steps, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
