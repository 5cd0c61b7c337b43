package org.banyan.node.chaincode.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code connection.json} of Fabric's ccaas packages, read as Fabric's external builder reads it. */
class ConnectionInfoTest {
    private static ConnectionInfo parse(String json) throws NotLaunchableException {
        return ConnectionInfo.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fabricsSampleConnectionReadsBackWithItsDialTimeout() throws Exception {
        ConnectionInfo info = parse("{\"address\": \"basic-cc.org1:9999\", \"dial_timeout\": \"10s\","
                + " \"tls_required\": false, \"client_auth_required\": false, \"client_key\": \"\"}");
        assertThat(info).isEqualTo(new ConnectionInfo("basic-cc.org1", 9999, Duration.ofSeconds(10)));
        assertThat(info.address()).isEqualTo("basic-cc.org1:9999");
        // Go's encoding/json: member names match case-insensitively; unknown members are ignored.
        assertThat(parse("{\"Address\": \"[::1]:7052\", \"DIAL_TIMEOUT\": 1500000000, \"extra\": [1]}"))
                .isEqualTo(new ConnectionInfo("::1", 7052, Duration.ofMillis(1_500)));
        assertThat(parse("{\"address\": \"h:1\"}").dialTimeout()).isEqualTo(ConnectionInfo.DIAL_TIMEOUT_DEFAULT);
    }

    @Test
    void goDurationsParseAsGoParsesThem() throws Exception {
        assertThat(ConnectionInfo.goDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConnectionInfo.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(ConnectionInfo.goDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConnectionInfo.goDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ConnectionInfo.goDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(ConnectionInfo.goDuration("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"", "10", "s", "1x", "-1s", ".s", "1s2"}) {
            assertThatThrownBy(() -> ConnectionInfo.goDuration(bad)).as(bad)
                    .isInstanceOf(NotLaunchableException.class).hasMessageContaining("invalid duration");
        }
    }

    @Test
    void whatCannotBeDialledIsRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{\"dial_timeout\": \"10s\"}"))
                .hasMessage("chaincode address not provided");
        assertThatThrownBy(() -> parse("{\"address\": \"nohost\"}"))
                .hasMessage("chaincode address 'nohost' is not host:port");
        assertThatThrownBy(() -> parse("{\"address\": \"{{.peername}}_basic:9999\"}"))
                .hasMessageContaining("is a template");
        assertThatThrownBy(() -> parse("{\"address\": \"h:1\", \"tls_required\": true}"))
                .hasMessageContaining("requires TLS (tls_required: true); Banyan dials chaincode servers in"
                        + " plaintext only");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{\"address\": 7}")).hasMessageContaining("address is not a string");
    }
}
