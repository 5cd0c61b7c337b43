package org.banyan.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.AlphaChars;
import org.junit.jupiter.api.Test;

class FrameTest {
    @Property
    void roundTrips(@ForAll @AlphaChars @StringLength(min = 1, max = 249) String channelId,
                    @ForAll @Size(max = 512) byte[] payload) {
        Frame decoded = Frame.decode(new Frame(channelId, payload).encode(), 512);
        assertThat(decoded.channelId()).isEqualTo(channelId);
        assertThat(decoded.payload()).isEqualTo(payload);
    }

    @Property
    void truncatedOrExtendedBytesAreRejected(@ForAll @Size(max = 64) byte[] payload) {
        byte[] encoded = new Frame("ch", payload).encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] cut = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> Frame.decode(cut, 64)).isInstanceOf(Frame.MalformedFrameException.class);
        }
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThatThrownBy(() -> Frame.decode(longer, 64)).isInstanceOf(Frame.MalformedFrameException.class);
    }

    @Test
    void payloadAboveLimitIsRejected() {
        byte[] encoded = new Frame("ch", new byte[11]).encode();
        assertThatThrownBy(() -> Frame.decode(encoded, 10))
                .isInstanceOf(Frame.MalformedFrameException.class)
                .hasMessageContaining("exceeds frameBytesMax 10");
    }

    @Test
    void channelIdIsBounded() {
        assertThatThrownBy(() -> new Frame("", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Frame("x".repeat(250), new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
