package org.banyan.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.banyan.protocol.Blocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * CommitStatus calls waiting for their transactions: each registers before it looks in the ledger (so a commit
 * between the look and the wait is not missed), and each committed block completes the waits for its
 * transactions. At most {@code waitersMax} waits at once; past it a call is refused rather than queued.
 */
final class CommitWaiters {
    static final int WAITERS_MAX = 100_000;

    private final int waitersMax;
    private final Map<Key, List<CompletableFuture<Gateway.CommitStatus>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    private record Key(String channelId, String txId) {}

    static final class TooManyWaitersException extends Exception {
        TooManyWaitersException(int max) {
            super("more than " + max + " CommitStatus calls are waiting; retry later");
        }
    }

    CommitWaiters(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    /** The transaction's status once committed, or empty if it has not committed within the timeout. */
    Optional<Gateway.CommitStatus> await(GatewayChannel channel, String txId, long timeoutMillis)
            throws InterruptedException, TooManyWaitersException {
        var committed = channel.transaction(txId);
        if (committed.isPresent()) {
            return Optional.of(new Gateway.CommitStatus(committed.get().validationCode(),
                    committed.get().blockNumber()));
        }
        if (count.incrementAndGet() > waitersMax) {
            count.decrementAndGet();
            throw new TooManyWaitersException(waitersMax);
        }
        Key key = new Key(channel.channelId(), txId);
        CompletableFuture<Gateway.CommitStatus> future = new CompletableFuture<>();
        waiting.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(future);
        try {
            committed = channel.transaction(txId);
            if (committed.isPresent()) {
                return Optional.of(new Gateway.CommitStatus(committed.get().validationCode(),
                        committed.get().blockNumber()));
            }
            return Optional.of(future.get(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            waiting.computeIfPresent(key, (k, list) -> {
                list.remove(future);
                return list.isEmpty() ? null : list;
            });
            count.decrementAndGet();
        }
    }

    /** Completes the waits for the block's transactions. */
    void blockCommitted(String channelId, Block block) {
        if (waiting.isEmpty()) {
            return;
        }
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            String txId;
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(i)).getPayload());
                txId = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
            } catch (InvalidProtocolBufferException e) {
                continue; // no ID to wait for
            }
            List<CompletableFuture<Gateway.CommitStatus>> futures = waiting.get(new Key(channelId, txId));
            if (futures != null) {
                Gateway.CommitStatus status = new Gateway.CommitStatus(Blocks.validationCode(block, i),
                        block.getHeader().getNumber());
                futures.forEach(f -> f.complete(status));
            }
        }
    }
}
