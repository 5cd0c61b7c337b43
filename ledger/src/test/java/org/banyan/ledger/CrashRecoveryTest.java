package org.banyan.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.banyan.ledger.blocks.TestFiles;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.testing.TestChains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a committing child JVM with SIGKILL at random moments and checks after each kill that the ledger
 * recovers: the block store verifies, state and history equal a replay of it, and every block the child
 * reported durable is there with the same hash. At least 5 kills by default, 200 with {@code -Dbanyan.soak=true}.
 * The seed is printed; rerun with {@code -Dbanyan.crash.seed=N} to repeat a schedule (timing still varies).
 */
class CrashRecoveryTest {
    private static final boolean SOAK = Boolean.getBoolean("banyan.soak");
    private static final int KILLS = SOAK ? 200 : 6;
    private static final int TXS_PER_BLOCK = 5;
    /** Past this height the parent starts a fresh ledger, so replay checks stay fast in the soak run. */
    private static final long HEIGHT_MAX = 600;
    private static final long STARTUP_TIMEOUT_MILLIS = 60_000;
    private static final long EXIT_TIMEOUT_MILLIS = 20_000;
    /** The kill comes after 0 .. this many reported commits, then a delay shorter than a commit or two. */
    private static final int BLOCKS_BEFORE_KILL_MAX = 40;
    private static final int KILL_DELAY_MILLIS_MAX = 8;
    private static final int STARTUP_KILL_DELAY_MILLIS_MAX = 1_500;
    private static final int OUTPUT_LINES_MAX = 100_000;

    @TempDir
    Path workDir;

    @Test
    void theLedgerSurvivesSigkillAtRandomMoments() throws Exception {
        long seed = Long.getLong("banyan.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed=" + seed + " kills=" + KILLS);
        Random random = new Random(seed);
        int epoch = 0;
        Path ledgerDir = workDir.resolve("ledger-" + epoch);
        Map<Long, String> durable = new TreeMap<>();
        int kills = 0;
        while (kills < KILLS) {
            ChildRun run = runAndKill(ledgerDir, seed, random);
            kills++;
            durable.putAll(run.durable());
            long height = checkRecovered(ledgerDir, durable, "seed=" + seed + " kill=" + kills);
            System.out.println("kill " + kills + ": child reported " + run.durable().size() + " blocks durable, "
                    + "ledger height " + height);
            if (height >= HEIGHT_MAX) {
                TestFiles.deleteRecursively(ledgerDir);
                ledgerDir = workDir.resolve("ledger-" + ++epoch);
                durable.clear();
            }
        }
        assertThat(kills).isGreaterThanOrEqualTo(SOAK ? 200 : 5);
    }

    private record ChildRun(Map<Long, String> durable, List<String> lines) {}

    /**
     * Starts the child, lets it report a random number of durable blocks, waits a further random moment (so the
     * kill lands anywhere inside a commit), SIGKILLs it and collects what it reported. One run in five is
     * killed at a random moment of its start-up instead, which includes ledger recovery.
     */
    private ChildRun runAndKill(Path ledgerDir, long seed, Random random) throws Exception {
        boolean duringStartup = random.nextInt(5) == 0;
        int blocksBeforeKill = random.nextInt(BLOCKS_BEFORE_KILL_MAX);
        int delayMillis = random.nextInt(duringStartup ? STARTUP_KILL_DELAY_MILLIS_MAX : KILL_DELAY_MILLIS_MAX);
        Process child = start(ledgerDir, seed);
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(OUTPUT_LINES_MAX);
        Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(child, lines));
        try {
            if (!duringStartup) {
                awaitLines(lines, child, blocksBeforeKill);
            }
            Thread.sleep(delayMillis);
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(EXIT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).as("child exits").isTrue();
            reader.join(EXIT_TIMEOUT_MILLIS);
        } finally {
            child.destroyForcibly();
        }
        List<String> output = new ArrayList<>(lines);
        Map<Long, String> durable = new TreeMap<>();
        for (String line : output) {
            String[] parts = line.split(" ");
            if (parts[0].equals("durable")) {
                durable.put(Long.parseLong(parts[1]), parts[2]);
            }
        }
        return new ChildRun(durable, output);
    }

    /** Waits until the child has opened the ledger and reported {@code durableLines} commits. */
    private static void awaitLines(BlockingQueue<String> lines, Process child, int durableLines)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            boolean opened = false;
            int durable = 0;
            for (String line : lines) {
                opened |= line.startsWith("opened");
                durable += line.startsWith("durable") ? 1 : 0;
            }
            if (opened && durable >= durableLines || lines.stream().anyMatch(line -> line.startsWith("done"))) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("child exited with " + child.exitValue() + "; output " + lines
                        + "; stderr: " + stderrTail());
            }
            Thread.sleep(2);
        }
        throw new AssertionError("child made no progress within " + STARTUP_TIMEOUT_MILLIS + " ms; output " + lines);
    }

    private static String stderrTail() {
        try {
            String text = Files.readString(stderrLog);
            return text.substring(Math.max(0, text.length() - 4_000));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void readLines(Process child, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!lines.offer(line)) {
                    throw new IllegalStateException("child printed more than " + OUTPUT_LINES_MAX + " lines");
                }
            }
        } catch (IOException e) {
            // The pipe closes when the child is killed.
        }
    }

    /** Where children's stderr goes; remembered so a failure can quote it. */
    private static Path stderrLog;

    private static Path stderrLog(Path ledgerDir) {
        stderrLog = ledgerDir.resolveSibling("child-stderr.log");
        return stderrLog;
    }

    private static Process start(Path ledgerDir, long seed) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // RocksDB extracts its native library into java.io.tmpdir and deletes it only on a clean exit; a SIGKILLed
        // child would leave one copy per kill in /tmp, so children extract into the test's own directory.
        Path childTmp = ledgerDir.resolveSibling("child-tmp");
        Files.createDirectories(childTmp);
        return new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + childTmp, "-cp", classPath,
                CrashChild.class.getName(),
                ledgerDir.toString(), Long.toString(seed), Integer.toString(TXS_PER_BLOCK), Long.toString(HEIGHT_MAX))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog(ledgerDir).toFile()))
                .start();
    }

    /** Opens the ledger the child left, checks it, and returns its height. */
    private static long checkRecovered(Path ledgerDir, Map<Long, String> durable, String context) {
        if (!ChannelLedger.exists(ledgerDir, TestChains.CHANNEL)) {
            assertThat(durable).as(context).isEmpty();
            return 0;
        }
        try (ChannelLedger ledger = ChannelLedger.open(ledgerDir, TestChains.CHANNEL)) {
            System.out.println("  recovery: " + ledger.recovery().describe());
            VerificationResult blocks = LedgerVerifier.verifyBlocks(ledgerDir, TestChains.CHANNEL);
            assertThat(blocks.ok()).as(context + ": " + blocks.describe()).isTrue();
            VerificationResult derived = LedgerVerifier.verifyDerived(ledger);
            assertThat(derived.ok()).as(context + ": " + derived.describe()).isTrue();
            for (Map.Entry<Long, String> reported : durable.entrySet()) {
                long number = reported.getKey();
                assertThat(ledger.height()).as(context + ": block %d was reported durable", number)
                        .isGreaterThan(number);
            }
            if (!durable.isEmpty()) {
                // The chain is hash-linked, so the last reported block's hash vouches for all before it.
                long last = ((TreeMap<Long, String>) durable).lastKey();
                String stored = HexFormat.of().formatHex(
                        BlockHashing.headerHash(ledger.block(last).orElseThrow().getHeader()));
                assertThat(stored).as(context + ": hash of block " + last).isEqualTo(durable.get(last));
            }
            return ledger.height();
        } catch (LedgerNotFoundException e) {
            // Killed during create, before the genesis block was durable.
            assertThat(durable).as(context).isEmpty();
            return 0;
        }
    }
}
