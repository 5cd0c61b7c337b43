package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** network.json as other commands read it: round trip, tolerance of new fields, clear errors. */
class NetworkDescriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void readsBackWhatWasWrittenWithPathsAsPlainStrings() throws Exception {
        NetworkDescription written = NetworkCommandTest.fixture(dir, 2, List.of(11L, 12L));
        assertThat(NetworkDescription.read(dir)).isEqualTo(written);
        String text = Files.readString(dir.resolve("network.json"));
        assertThat(text).contains("\"logs\" : \"" + dir.resolve("nodes/org1/node.log") + "\"").doesNotContain("file:");
        assertThat(dir.resolve("network.json.tmp")).doesNotExist();
        assertThat(written.org("Org2MSP").gateway()).isEqualTo("127.0.0.1:7151");
        assertThat(written.node("org1").withPid(99).pid()).isEqualTo(99);
        assertThatThrownBy(() -> written.org("Org9MSP")).hasMessageContaining("[Org1MSP, Org2MSP]");
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        NetworkDescription written = NetworkCommandTest.fixture(dir, 1, List.of(11L));
        ObjectNode tree = (ObjectNode) JSON.readTree(dir.resolve("network.json").toFile());
        tree.put("addedLater", true);
        ((ObjectNode) tree.path("nodes").get(0)).put("cpuShare", 0.5);
        JSON.writeValue(dir.resolve("network.json").toFile(), tree);
        assertThat(NetworkDescription.read(dir)).isEqualTo(written);
    }

    @Test
    void namesTheFileAndTheProblem() throws Exception {
        assertThatThrownBy(() -> NetworkDescription.read(dir)).hasMessageContaining("is not a Banyan network")
                .hasMessageContaining("network.json");
        NetworkCommandTest.fixture(dir, 1, List.of(11L));
        ObjectNode tree = (ObjectNode) JSON.readTree(dir.resolve("network.json").toFile());
        ((ObjectNode) tree.path("nodes").get(0)).put("logs", "relative/node.log");
        JSON.writeValue(dir.resolve("network.json").toFile(), tree);
        assertThatThrownBy(() -> NetworkDescription.read(dir)).hasMessageContaining(
                dir.resolve("network.json") + " is not a valid network description")
                .hasMessageContaining("logs must be an absolute path");
        ((ObjectNode) tree.path("nodes").get(0)).remove("pid");
        JSON.writeValue(dir.resolve("network.json").toFile(), tree);
        assertThatThrownBy(() -> NetworkDescription.read(dir)).hasMessageContaining("pid");
    }
}
