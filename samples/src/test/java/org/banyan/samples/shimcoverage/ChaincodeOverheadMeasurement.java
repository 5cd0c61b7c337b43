package org.banyan.samples.shimcoverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.samples.testing.ChaincodeClassPath;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.banyan.samples.testing.ChaincodeTestbed.Proposed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rough number, not a benchmark and not an assertion: the time one transaction of a simple put
 * ({@code PutState k v}, executed without commit: proposal to response and read/write set) takes on the same
 * chaincode in a process over gRPC on 127.0.0.1 and in-process, one transaction at a time after a warm-up. Off by
 * default; {@code -Dbanyan.soak=true} runs it and prints the numbers.
 */
@EnabledIfSystemProperty(named = "banyan.soak", matches = "true")
class ChaincodeOverheadMeasurement {
    private static final int WARM_UP = 3_000;
    private static final int MEASURED = 5_000;

    @TempDir
    Path dir;

    @Test
    void simplePutInAProcessAndInProcess() throws Exception {
        ChaincodeLimits limits = ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30));
        try (ChaincodeTestbed testbed = ChaincodeTestbed.start(dir, limits, ShimCoverageMain.class, "shimcov:1.0",
                List.of(), List.of("shimcov", "callee"));
             InProcessChaincodes inProcess = new InProcessChaincodes(testbed::ledger, limits)) {
            inProcess.load("shimcov:1.0", ChaincodeClassPath.ofSamples(), ShimCoverageChaincode.class.getName());
            double process = microsPerTransaction(testbed, testbed::execute);
            double local = microsPerTransaction(testbed, p -> inProcess.execute(p.chaincode(), p.input(),
                    p.context()));
            System.out.printf("simple put, per transaction: process over gRPC %.1f us, in-process %.1f us%n",
                    process, local);
        }
    }

    private static double microsPerTransaction(ChaincodeTestbed testbed, Function<Proposed, ChaincodeResult> run) {
        for (int i = 0; i < WARM_UP; i++) {
            assertThat(run.apply(testbed.propose("shimcov", Map.of(), "PutState", "k" + i, "v")).ok()).isTrue();
        }
        List<Proposed> proposals = new java.util.ArrayList<>();
        for (int i = 0; i < MEASURED; i++) {
            proposals.add(testbed.propose("shimcov", Map.of(), "PutState", "k" + i, "v"));
        }
        long started = System.nanoTime();
        for (Proposed proposed : proposals) {
            run.apply(proposed);
        }
        return (System.nanoTime() - started) / 1_000.0 / MEASURED;
    }
}
