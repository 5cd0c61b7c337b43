package org.banyan.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's configuration: optional sections with defaults, checked values, environment overrides. */
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
                d.logBytesMax(), true, true, ChaincodeLogLevels.DEFAULTS));
    }

    @Test
    void aMisspeltOrOutOfRangeKeyIsAnError() {
        assertThatThrownBy(() -> load(REQUIRED + "chaincode:\n  startupTimeoutMillis: 5\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'startupTimeoutMillis'");
        assertThatThrownBy(() -> load(REQUIRED + "chaincode:\n  restartBackoffMillisMin: 0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chaincode settings out of range");
        assertThatThrownBy(() -> load(REQUIRED + "chaincode:\n  logLevel: loud\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chaincode.logLevel 'loud' is not a log level");
    }

    @Test
    void chaincodeLogLevelsAreFabricsNamesAndReachProcessesAsFabricsVariables() throws Exception {
        ChaincodeLogLevels levels = load(REQUIRED + "chaincode:\n  logLevel: WARN\n  shimLogLevel: debug\n")
                .chaincode().logLevels();
        assertThat(levels).isEqualTo(new ChaincodeLogLevels("warning", "debug"));
        assertThat(levels.environment()).containsEntry("CORE_CHAINCODE_LOGGING_LEVEL", "warning")
                .containsEntry("CORE_CHAINCODE_LOGGING_SHIM", "debug");
        assertThat(load(REQUIRED).chaincode().logLevels()).isEqualTo(new ChaincodeLogLevels("info", "warning"));
        assertThat(ChaincodeLogLevels.julLevel("notice")).isEqualTo(java.util.logging.Level.CONFIG);
        assertThat(ChaincodeLogLevels.julLevel("critical")).isEqualTo(java.util.logging.Level.SEVERE);
    }

    @Test
    void withoutGatewayAndRestSectionsTheDefaultsApplyAndRestIsOff() throws Exception {
        NodeConfig config = load(REQUIRED);
        assertThat(config.gateway()).isEqualTo(NodeConfig.GatewaySettings.DEFAULTS);
        assertThat(config.rest().enabled()).isFalse();
        assertThat(config.rest().apiKeysFile()).isEqualTo(dir.resolve("data/rest/apikeys.json"));
    }

    @Test
    void theRestSectionResolvesItsPathsAgainstTheFile() throws Exception {
        NodeConfig.RestSettings rest = load(REQUIRED + """
                rest:
                  address: 127.0.0.1:8443
                  walletDir: wallet
                """).rest();
        assertThat(rest.enabled()).isTrue();
        assertThat(rest.address().getPort()).isEqualTo(8443);
        assertThat(rest.walletDir()).isEqualTo(dir.resolve("wallet"));
        assertThat(rest.apiKeysFile()).isEqualTo(dir.resolve("data/rest/apikeys.json"));
        assertThatThrownBy(() -> load(REQUIRED + "rest:\n  walletDir: w\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need rest.address");
    }

    @Test
    void environmentVariablesOverrideScalarKeysAndAreCheckedLikeTheFile() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, REQUIRED + "gateway:\n  requestBytesMax: 2048\n");
        NodeConfig config = NodeConfig.load(file, Map.of(
                "BANYAN_OPS_ADDRESS", "127.0.0.1:19443",
                "BANYAN_GATEWAY_CONCURRENT_REQUESTS_MAX", "7",
                "BANYAN_CHAINCODE_JAVA_IN_PROCESS", "true",
                "BANYAN_REST_ADDRESS", "127.0.0.1:18443",
                "BANYAN_LOG_FORMAT", "json",
                "BANYAN_CHAINCODE_LOG_LEVEL", "error"));
        assertThat(config.opsAddress().getPort()).isEqualTo(19443);
        assertThat(config.gateway().concurrentRequestsMax()).isEqualTo(7);
        assertThat(config.gateway().requestBytesMax()).isEqualTo(2048);
        assertThat(config.chaincode().javaInProcess()).isTrue();
        assertThat(config.chaincode().logLevels().chaincode()).isEqualTo("error");
        assertThat(config.rest().address().getPort()).isEqualTo(18443);
        assertThatThrownBy(() -> NodeConfig.load(file, Map.of("BANYAN_GATEWAY_REQUEST_BYTES_MAX", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lots");
        assertThatThrownBy(() -> NodeConfig.load(file, Map.of("BANYAN_GATEWAY_CONCURRENT_REQUESTS_MAX", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway settings out of range");
    }
}
