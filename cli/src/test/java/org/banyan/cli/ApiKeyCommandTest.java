package org.banyan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.banyan.node.config.NodeConfig;
import org.banyan.node.local.LocalNetwork;
import org.banyan.node.rest.ApiKeys;
import org.banyan.protocol.config.ChannelProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code banyan apikey} on a local network's layout, as an operator runs it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyCommandTest {
    private static final Pattern KEY = Pattern.compile("^    ([A-Za-z0-9_-]{43})$", Pattern.MULTILINE);

    @TempDir
    static Path temp;
    private LocalNetwork.Layout layout;

    @BeforeAll
    void writeNetwork() {
        layout = LocalNetwork.write(temp.resolve("net"), 2, "keychannel", 21_000, 1, ChannelProfile.BatchParameters.DEFAULTS,
                "");
    }

    private static String key(CliTest.Run run) {
        Matcher matcher = KEY.matcher(run.out());
        assertThat(matcher.find()).as(run.out()).isTrue();
        return matcher.group(1);
    }

    @Test
    void createListAndRevokeByNetworkDirectoryAndOrganisation() {
        String dir = layout.dir().toString();
        CliTest.Run create = CliTest.run("apikey", "create", "--dir", dir, "--org", "Org2MSP");
        assertThat(create.exitCode()).as(create.err()).isZero();
        String key = key(create);
        int restPort = layout.nodes().get(1).restPort();
        assertThat(create.out()).contains("User1@org2.example.com (Org2MSP) on node org2",
                "curl -H 'X-API-Key: " + key + "' http://127.0.0.1:" + restPort + "/api/channels/keychannel",
                "banyan apikey revoke --config ");

        NodeConfig config = NodeConfig.load(layout.nodes().get(1).configFile());
        ApiKeys.Entry entry = ApiKeys.list(config.rest().apiKeysFile()).getFirst();
        assertThat(entry.identity()).isEqualTo("User1@org2.example.com");
        assertThat(entry.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                org.banyan.crypto.Hashes.sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        CliTest.Run list = CliTest.run("apikey", "list", "--dir", dir, "--org", "Org2MSP");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(entry.id(), "User1@org2.example.com", "Org2MSP").doesNotContain(key);

        CliTest.Run revoke = CliTest.run("apikey", "revoke", "--dir", dir, "--org", "Org2MSP", "--id", entry.id());
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(revoke.out()).contains("Revoked API key " + entry.id());
        assertThat(CliTest.run("apikey", "list", "--dir", dir, "--org", "Org2MSP").out()).contains("no API keys in");
        CliTest.Run again = CliTest.run("apikey", "revoke", "--dir", dir, "--org", "Org2MSP", "--id", entry.id());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(again.err()).contains("no API key with id " + entry.id(), "banyan apikey list");
    }

    @Test
    void createByConfigurationAndMspFolder() {
        Path config = layout.nodes().getFirst().configFile();
        Path adminMsp = layout.crypto().orgs().getFirst().adminMspDir();
        CliTest.Run create = CliTest.run("apikey", "create", "--config", config.toString(), "--msp-dir",
                adminMsp.toString(), "--msp-id", "Org1MSP");
        assertThat(create.exitCode()).as(create.err()).isZero();
        key(create);
        assertThat(create.out()).contains("Admin@org1.example.com (Org1MSP) on node org1");
        assertThat(ApiKeys.list(NodeConfig.load(config).rest().apiKeysFile()))
                .anySatisfy(entry -> assertThat(entry.identity()).isEqualTo("Admin@org1.example.com"));
    }

    @Test
    void mistakesAreExplained() {
        String dir = layout.dir().toString();
        CliTest.Run noNode = CliTest.run("apikey", "create");
        assertThat(noNode.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noNode.err()).contains("say which node: --config NODE_YAML, or --dir NETWORK_DIR --org MSP_ID");

        CliTest.Run noOrg = CliTest.run("apikey", "create", "--dir", dir, "--org", "Org9MSP");
        assertThat(noOrg.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noOrg.err()).contains("belongs to Org9MSP", "Org1MSP, Org2MSP");

        CliTest.Run noUser = CliTest.run("apikey", "create", "--dir", dir, "--org", "Org1MSP", "--user", "Nobody");
        assertThat(noUser.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noUser.err()).contains("no user Nobody", "Admin", "User1", "--msp-dir");

        CliTest.Run notANetwork = CliTest.run("apikey", "list", "--dir", temp.toString(), "--org", "Org1MSP");
        assertThat(notANetwork.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(notANetwork.err()).contains("not a network directory", "--config");

        CliTest.Run badName = CliTest.run("apikey", "create", "--dir", dir, "--org", "Org1MSP", "--name", "../x");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(badName.err()).contains("wallet identity name '../x'");

        assertThat(CliTest.run("apikey", "create", "--help").out()).contains("Usage: banyan apikey create");
    }
}
