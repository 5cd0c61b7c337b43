package org.banyan.node.chaincode.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chaincode process's log stays within its bound; restart backoff doubles to its maximum. */
class RotatingLogTest {
    @TempDir
    Path dir;

    @Test
    void theLogRotatesOnceItWouldPassItsBoundKeepingOneOlderFile() throws Exception {
        Path file = dir.resolve("cc/chaincode.log");
        try (RotatingLog log = new RotatingLog(file, 4_096)) {
            byte[] kilobyte = "x".repeat(1_023).concat("\n").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                log.write(kilobyte, 0, kilobyte.length);
            }
            log.line("exited with code 137");
            assertThat(log.bytesLost()).isZero();
        }
        assertThat(Files.size(file.resolveSibling("chaincode.log.1"))).isEqualTo(4_096);
        assertThat(Files.size(file)).isLessThanOrEqualTo(4_096);
        assertThat(Files.readString(file)).contains("[banyan ").endsWith("] exited with code 137\n");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("chaincode.log", "chaincode.log.1");
        }
    }

    @Test
    void restartBackoffDoublesUpToItsMaximum() {
        LaunchSettings settings = new LaunchSettings(dir, java.net.InetSocketAddress.createUnresolved("127.0.0.1", 1),
                "Org1MSP", true, LaunchSettings.currentJava(), List.of(), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 5, Duration.ofMinutes(10), 4_096,
                org.banyan.node.config.ChaincodeLogLevels.DEFAULTS);
        assertThat(List.of(1, 2, 3, 4, 5).stream().map(settings::restartBackoff).map(Duration::toSeconds).toList())
                .containsExactly(1L, 2L, 4L, 5L, 5L);
    }
}
