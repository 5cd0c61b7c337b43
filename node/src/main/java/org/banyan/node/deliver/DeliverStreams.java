package org.banyan.node.deliver;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;

/**
 * The gRPC side of Fabric's Deliver, shared by the peer's {@code protos.Deliver} and the orderer's
 * {@code AtomicBroadcast/Deliver}: each stream takes seek requests in order, answers each with its blocks and then a
 * status, and respects the client's flow control. Each open stream holds one thread of a bounded pool
 * ({@code streamsMax}); a stream past it is answered SERVICE_UNAVAILABLE at once.
 */
public final class DeliverStreams implements AutoCloseable {
    /** A hosted channel as Deliver needs it. */
    public interface Channel extends SeekRequest.ChannelView, BlockStream.Source {}

    /** How a stream's messages are built: a block in the requested form, and a status. */
    public record Responses<R>(Function<SeekBlock, R> block, Function<Status, R> status) {}

    /** A block to send, with the request it answers (for its content type and channel). */
    public record SeekBlock(SeekRequest request, Block block) {}

    private static final Envelope END = Envelope.getDefaultInstance();

    private final Function<String, Optional<Channel>> channels;
    private final ExecutorService streams;
    private final long idleTimeoutMillis;

    /**
     * @param idleTimeoutMillis a stream waiting this long for a block with none to send ends with
     *     SERVICE_UNAVAILABLE, so an abandoned stream does not hold one of the {@code streamsMax} threads forever
     */
    public DeliverStreams(Function<String, Optional<Channel>> channels, int streamsMax, long idleTimeoutMillis) {
        this.channels = channels;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.streams = new ThreadPoolExecutor(0, streamsMax, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "banyan-deliver");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens one stream; {@code readersPolicy} is the channel policy a requester must satisfy. */
    public <R> StreamObserver<Envelope> open(StreamObserver<R> out, String readersPolicy, Responses<R> responses) {
        StreamSink<R> sink = new StreamSink<>((ServerCallStreamObserver<R>) out, responses);
        try {
            streams.execute(() -> serve(sink, readersPolicy));
        } catch (RejectedExecutionException e) {
            sink.call.onNext(responses.status().apply(Status.SERVICE_UNAVAILABLE));
            sink.call.onCompleted();
            sink.cancelled.set(true);
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope request) {
                if (!sink.requests.offer(request)) {
                    sink.cancelled.set(true); // a client flooding requests it does not wait for
                }
            }

            @Override
            public void onError(Throwable t) {
                sink.cancelled.set(true);
            }

            @Override
            public void onCompleted() {
                sink.requests.offer(END);
            }
        };
    }

    /** One stream: its pending requests, the request being answered, and the client's flow control. */
    private static final class StreamSink<R> implements BlockStream.Sink {
        final ServerCallStreamObserver<R> call;
        final Responses<R> responses;
        final LinkedBlockingQueue<Envelope> requests = new LinkedBlockingQueue<>(16);
        final AtomicBoolean cancelled = new AtomicBoolean();
        final Object ready = new Object();
        SeekRequest current;

        StreamSink(ServerCallStreamObserver<R> call, Responses<R> responses) {
            this.call = call;
            this.responses = responses;
            call.setOnReadyHandler(() -> {
                synchronized (ready) {
                    ready.notifyAll();
                }
            });
            call.setOnCancelHandler(() -> cancelled.set(true));
        }

        @Override
        public boolean send(Block block) throws InterruptedException {
            synchronized (ready) {
                while (!call.isReady() && !cancelled.get()) {
                    ready.wait(100);
                }
            }
            if (cancelled.get()) {
                return false;
            }
            call.onNext(responses.block().apply(new SeekBlock(current, block)));
            return true;
        }

        @Override
        public boolean cancelled() {
            return cancelled.get();
        }

        void status(Status status) {
            call.onNext(responses.status().apply(status));
        }
    }

    /** Answers a stream's requests in order until the client half-closes or goes away. */
    private <R> void serve(StreamSink<R> sink, String readersPolicy) {
        try {
            while (!sink.cancelled.get()) {
                Envelope request = sink.requests.poll(BlockStream.WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                if (request == null) {
                    continue;
                }
                if (request == END) {
                    sink.call.onCompleted();
                    return;
                }
                SeekRequest.Checked checked = SeekRequest.check(request,
                        id -> channels.apply(id).map(c -> (SeekRequest.ChannelView) c), readersPolicy, Instant.now());
                if (checked.refusal() != null) {
                    // As Fabric: a request that fails ends the stream after its status.
                    sink.status(checked.refusal().status());
                    sink.call.onCompleted();
                    return;
                }
                sink.current = checked.request();
                Status status = BlockStream.run(checked.request(),
                        channels.apply(checked.request().channelId()).orElseThrow(), sink, idleTimeoutMillis,
                        () -> System.nanoTime() / 1_000_000);
                if (sink.cancelled.get()) {
                    return;
                }
                sink.status(status);
                if (status != Status.SUCCESS) {
                    sink.call.onCompleted();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!sink.cancelled.get()) {
                sink.call.onError(io.grpc.Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
            }
        }
    }

    @Override
    public void close() {
        streams.shutdownNow();
    }
}
