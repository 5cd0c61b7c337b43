package org.banyan.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

class JsonLineFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLineFormatter formatter = new JsonLineFormatter();

    @Test
    void aRecordIsOneLineOfJsonWithItsParametersApplied() throws IOException {
        LogRecord record = new LogRecord(Level.INFO, "{0}: consenter {1}, channels {2}");
        record.setParameters(new Object[] {"node1", "127.0.0.1:7050", List.of("mychannel")});
        record.setLoggerName("org.banyan.node.Node");
        record.setInstant(Instant.parse("2025-01-31T12:00:00.123456Z"));

        String line = formatter.format(record);

        assertThat(line).endsWith("\n").doesNotContain("\r");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2025-01-31T12:00:00.123456Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("org.banyan.node.Node");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.get("message").asText()).isEqualTo("node1: consenter 127.0.0.1:7050, channels [mychannel]");
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void quotesBackslashesLineBreaksAndControlCharactersAreEscaped() throws IOException {
        String awkward = "say \"hi\"\\ then\nnext line\r\tand \u0001 é \u2603";
        LogRecord record = new LogRecord(Level.WARNING, awkward);
        record.setLoggerName("x");

        String line = formatter.format(record);

        assertThat(line.indexOf('\n')).as("one line").isEqualTo(line.length() - 1);
        assertThat(JSON.readTree(line).get("message").asText()).isEqualTo(awkward);
    }

    @Test
    void anExceptionComesWithItsClassMessageAndStackIncludingCauses() throws IOException {
        LogRecord record = new LogRecord(Level.SEVERE, "could not restart");
        record.setLoggerName("org.banyan.node.consensus.ChannelConsensus");
        record.setThrown(new IllegalStateException("the ledger writer did not finish",
                new java.io.IOException("disk \"full\"")));

        JsonNode json = JSON.readTree(formatter.format(record));

        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        JsonNode error = json.get("error");
        assertThat(error.get("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asText()).isEqualTo("the ledger writer did not finish");
        assertThat(error.get("stack").asText()).startsWith("java.lang.IllegalStateException: the ledger writer")
                .contains("\tat org.banyan.node.logging.JsonLineFormatterTest")
                .contains("Caused by: java.io.IOException: disk \"full\"");
    }

    @Test
    void levelsAreSystemLoggerNames() {
        assertThat(List.of(Level.SEVERE, Level.WARNING, Level.INFO, Level.CONFIG, Level.FINE, Level.FINER,
                Level.FINEST)).extracting(JsonLineFormatter::levelName)
                .containsExactly("ERROR", "WARNING", "INFO", "INFO", "DEBUG", "TRACE", "TRACE");
    }

    @Test
    void systemLoggerCallsThroughAHandlerComeOutAsJsonLines() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamHandler handler = new StreamHandler(bytes, formatter);
        Logger jul = Logger.getLogger("org.banyan.node.logging.test");
        jul.setUseParentHandlers(false);
        jul.addHandler(handler);
        try {
            System.Logger logger = System.getLogger("org.banyan.node.logging.test");
            logger.log(System.Logger.Level.INFO, "height {0} on {1}", 42, "mychannel");
            logger.log(System.Logger.Level.ERROR, "failed", new RuntimeException("boom"));
            handler.flush();
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(true);
        }

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines[0]);
        JsonNode second = JSON.readTree(lines[1]);
        assertThat(first.get("message").asText()).isEqualTo("height 42 on mychannel");
        assertThat(first.get("logger").asText()).isEqualTo("org.banyan.node.logging.test");
        assertThat(second.get("level").asText()).isEqualTo("ERROR");
        assertThat(second.get("error").get("message").asText()).isEqualTo("boom");
    }
}
