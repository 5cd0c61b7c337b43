package org.banyan.node.gateway;

import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * The gateway's admission limits: requests served at once over all clients ({@code concurrentMax}) and each
 * client's sustained rate ({@code perClientPerSecond}, with a burst of one second's worth), tracked per client key
 * (a hash of the caller's identity, or an API key) in a token bucket. Refuses rather than queues: a refused request
 * gets RESOURCE_EXHAUSTED at once and costs the node nothing more. At most {@value #CLIENTS_MAX} clients are
 * tracked; the least recently seen is forgotten first (it then starts again with a full bucket).
 */
public final class RequestLimiter {
    static final int CLIENTS_MAX = 65_536;
    /**
     * How the two refusals' messages start: the REST API answers a client over its rate 429 and a node at its
     * concurrency limit 503, though both are RESOURCE_EXHAUSTED.
     */
    public static final String RATE_LIMITED = "rate limit exceeded";
    public static final String OVERLOADED = "too many concurrent requests";

    private final Semaphore concurrent;
    private final int concurrentMax;
    private final int perClientPerSecond;
    private final LongSupplier nanoTime;
    private final Map<Object, Bucket> buckets = new LinkedHashMap<>(1_024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
            return size() > CLIENTS_MAX;
        }
    };

    /** Tokens of one client; guarded by the limiter's lock. */
    private static final class Bucket {
        double tokens;
        long refilledNanos;
    }

    /** Releases the concurrency slot it holds. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public RequestLimiter(int concurrentMax, int perClientPerSecond, LongSupplier nanoTime) {
        this.concurrentMax = concurrentMax;
        this.concurrent = new Semaphore(concurrentMax);
        this.perClientPerSecond = perClientPerSecond;
        this.nanoTime = nanoTime;
    }

    /**
     * Admits one request of {@code client}.
     *
     * @throws GatewayException RESOURCE_EXHAUSTED naming the limit when the client is over its rate or the node
     *     serves {@code concurrentMax} requests already
     */
    public Permit admit(Object client) throws GatewayException {
        if (!takeToken(client)) {
            throw new GatewayException(Status.Code.RESOURCE_EXHAUSTED, RATE_LIMITED + ": more than "
                    + perClientPerSecond + " requests per second from this client; slow down and retry");
        }
        if (!concurrent.tryAcquire()) {
            throw new GatewayException(Status.Code.RESOURCE_EXHAUSTED, OVERLOADED + ": this node "
                    + "serves at most " + concurrentMax + " at once; retry later");
        }
        return concurrent::release;
    }

    private synchronized boolean takeToken(Object client) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = perClientPerSecond;
            bucket.refilledNanos = now;
            buckets.put(client, bucket);
        }
        double elapsedSeconds = Math.max(0, now - bucket.refilledNanos) / 1e9;
        bucket.tokens = Math.min(perClientPerSecond, bucket.tokens + elapsedSeconds * perClientPerSecond);
        bucket.refilledNanos = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }
}
