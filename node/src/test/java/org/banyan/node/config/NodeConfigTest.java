package org.banyan.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code chaincode:} section of a node's configuration: optional, defaults, checked. */
class NodeConfigTest {
    private static final String REQUIRED = """
            name: org1
            mspId: Org1MSP
            signingMspDir: msp
            peerMspDir: peer
            tlsDir: tls
            dataDir: data
            broadcastAddress: 127.0.0.1:7050
            opsAddress: 127.0.0.1:9443
            chaincodeAddress: 127.0.0.1:7052
            channels:
              - genesisBlock: ch.block
            """;

    @TempDir
    Path dir;

    private NodeConfig load(String yaml) throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, yaml);
        return NodeConfig.load(file);
    }

    @Test
    void withoutAChaincodeSectionTheDefaultsApply() throws Exception {
        NodeConfig config = load(REQUIRED);
        assertThat(config.chaincode()).isEqualTo(NodeConfig.ChaincodeSettings.DEFAULTS);
        assertThat(config.chaincodesDir()).isEqualTo(dir.resolve("data/chaincodes"));
    }

    @Test
    void theChaincodeKeysAreReadAndTheRestDefaulted() throws Exception {
        NodeConfig.ChaincodeSettings settings = load(REQUIRED + """
                chaincode:
                  launch: false
                  javaOptions: [-Xmx1g]
                  executeTimeoutMillis: 2000
                  restartsMax: 0
                  javaInProcess: true
                """).chaincode();
        NodeConfig.ChaincodeSettings d = NodeConfig.ChaincodeSettings.DEFAULTS;
        assertThat(settings).isEqualTo(new NodeConfig.ChaincodeSettings(false, List.of("-Xmx1g"),
                d.startTimeoutMillis(), 2_000, d.restartBackoffMillisMin(), d.restartBackoffMillisMax(), 0,
                d.logBytesMax(), true));
    }

    @Test
    void aMisspeltOrOutOfRangeKeyIsAnError() {
        assertThatThrownBy(() -> load(REQUIRED + "chaincode:\n  startupTimeoutMillis: 5\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'startupTimeoutMillis'");
        assertThatThrownBy(() -> load(REQUIRED + "chaincode:\n  restartBackoffMillisMin: 0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chaincode settings out of range");
    }
}
