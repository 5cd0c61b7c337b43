package org.banyan.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicLong;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.ledger.LedgerTransaction;
import org.banyan.ledger.validation.CommittedLedger;
import org.banyan.ledger.validation.EndorsementRequirement;
import org.banyan.node.gateway.GatewayChannel;
import org.banyan.node.gateway.GatewayException;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.Test;

/** Block event streams and the HTTP event sink, on a fake clock: what they send, when they stop. */
class EventStreamsTest {
    /** A chain of empty blocks whose waits only move the fake clock; it grows by one block per wait if asked. */
    private static final class FakeChannel implements GatewayChannel {
        final List<Block> blocks = new ArrayList<>();
        final AtomicLong nowMillis;
        int growOnWait;

        FakeChannel(int height, AtomicLong nowMillis) {
            this.nowMillis = nowMillis;
            for (int i = 0; i < height; i++) {
                grow();
            }
        }

        void grow() {
            blocks.add(blocks.isEmpty() ? Blocks.create(0, ByteString.EMPTY, List.of())
                    : Blocks.next(blocks.getLast(), List.of()));
        }

        @Override
        public long height() {
            return blocks.size();
        }

        @Override
        public Block block(long number) {
            return blocks.get((int) number);
        }

        @Override
        public void awaitHeightAbove(long number, long timeoutMillis) {
            if (growOnWait > 0) {
                growOnWait--;
                grow();
            } else {
                nowMillis.addAndGet(timeoutMillis);
            }
        }

        @Override
        public String channelId() {
            return "ch";
        }

        @Override
        public SortedSet<String> orgs() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MspRegistry registry() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PolicyEvaluator policies() {
            throw new UnsupportedOperationException();
        }

        @Override
        public EndorsementRequirement requirement() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommittedLedger committed() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LedgerTransaction> transaction(String txId) {
            return Optional.empty();
        }

        @Override
        public Optional<Refusal> submit(Envelope transaction) {
            throw new UnsupportedOperationException();
        }
    }

    /** Records events; the client "goes" after {@code eventsMax}. */
    private static final class RecordingSink implements EventSink {
        final List<String> ids = new ArrayList<>();
        final int eventsMax;

        RecordingSink(int eventsMax) {
            this.eventsMax = eventsMax;
        }

        @Override
        public boolean open() {
            return ids.size() < eventsMax;
        }

        @Override
        public void send(String id, String event, Object data) {
            assertThat(event).isEqualTo("block");
            assertThat(((BlockSummary) data).number()).isEqualTo(Long.parseLong(id));
            ids.add(id);
        }
    }

    @Test
    void blocksFromTheStartThenNewOnesThenTheIdleTimeout() {
        AtomicLong now = new AtomicLong();
        FakeChannel channel = new FakeChannel(3, now);
        channel.growOnWait = 2;
        RecordingSink sink = new RecordingSink(100);
        assertThatThrownBy(() -> BlockEvents.stream(channel, 1, sink, 5_000, now::get))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getMessage()).contains("5000 ms", "Last-Event-ID");
                });
        assertThat(sink.ids).containsExactly("1", "2", "3", "4");
        assertThat(now.get()).isEqualTo(5_000); // waited in slices of at most POLL_MILLIS, never past the timeout
    }

    @Test
    void aStreamEndsWhenItsClientGoes() throws Exception {
        AtomicLong now = new AtomicLong();
        RecordingSink sink = new RecordingSink(2);
        BlockEvents.stream(new FakeChannel(10, now), 0, sink, 5_000, now::get);
        assertThat(sink.ids).containsExactly("0", "1");
    }

    @Test
    void theSinkKeepsQuietStreamsAliveAndNoticesAGoneClient() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean[] broken = {false};
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (broken[0]) {
                    throw new IOException("Broken pipe");
                }
                written.write(b);
            }
        };
        HttpEventSink sink = new HttpEventSink(out, new ObjectMapper(), 15_000, now::get);
        assertThat(sink.open()).isTrue();
        assertThat(written.size()).isZero();
        now.set(15_000);
        assertThat(sink.open()).isTrue();
        sink.send("7", "block", java.util.Map.of("number", 7));
        assertThat(written.toString(StandardCharsets.UTF_8))
                .isEqualTo(": keep-alive\n\nid: 7\nevent: block\ndata: {\"number\":7}\n\n");
        broken[0] = true;
        now.set(29_999);
        assertThat(sink.open()).isTrue(); // not due yet: the last write was the event at 15,000
        now.set(31_000);
        assertThat(sink.open()).isFalse();
        sink.send("8", "block", java.util.Map.of("number", 8)); // ignored
        assertThat(sink.open()).isFalse();
    }
}
