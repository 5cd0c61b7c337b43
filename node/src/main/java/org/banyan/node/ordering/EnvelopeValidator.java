package org.banyan.node.ordering;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.banyan.consensus.Digest;
import org.banyan.consensus.Payload;
import org.banyan.consensus.PayloadValidator;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.policy.PolicyEvaluator;

/**
 * A channel's {@link PayloadValidator}: a payload may be ordered iff it is at most
 * {@link ValidatorLimits#payloadBytesMax()} bytes, is a {@code common.Envelope} that {@code TransactionParser}
 * accepts, is an ENDORSER_TRANSACTION (CONFIG updates and other header types are not supported yet and are
 * invalid), names this channel, carries the payload id as its tx id and that tx id is SHA-256(nonce ‖ creator),
 * its creator is a valid identity of a channel MSP at the validator's instant and satisfies
 * {@code /Channel/Writers}, the creator's signature over the envelope payload verifies, and the ledger does not
 * hold the tx id yet.
 *
 * <p>Determinism: everything but the ledger check is decided once per payload digest and cached (bounded, LRU),
 * so a payload's verdict does not change while it is cached, even if the clock moves past a certificate's
 * expiry; the ledger check runs on every call (an index lookup), so a payload that gets ordered turns invalid.
 * Different nodes may check at slightly different instants, as Fabric's orderers do.
 *
 * <p>Threads: {@link #isValid} runs on the channel's consensus event loop; {@link #prevalidateAsync} verifies a
 * proposal's uncached payloads on the caller's executor (the transport's thread hands them over before they
 * reach the event loop, which then only hits the cache). All methods are thread-safe; the {@code now} supplier
 * and the {@code alreadyOrdered} predicate must be too.
 */
public final class EnvelopeValidator implements PayloadValidator {
    private static final System.Logger LOG = System.getLogger(EnvelopeValidator.class.getName());

    private final String channelId;
    private final EnvelopeChecker checker;
    private final VerdictCache cache;
    private final Supplier<Instant> now;
    private final Predicate<String> alreadyOrdered;
    private final ValidatorCounters counters = new ValidatorCounters();

    /**
     * @param config the channel's configuration (its id)
     * @param registry the channel's MSPs
     * @param policies the channel's policies ({@code /Channel/Writers})
     * @param now the instant certificates are checked at when a payload is first seen (the node's clock)
     * @param alreadyOrdered true when the channel's ledger holds the tx id ({@code ledger::containsTransaction})
     */
    public EnvelopeValidator(ChannelConfig config, MspRegistry registry, PolicyEvaluator policies, ValidatorLimits limits,
                             Supplier<Instant> now, Predicate<String> alreadyOrdered) {
        this.channelId = config.channelId();
        this.checker = new EnvelopeChecker(channelId, limits.payloadBytesMax(), registry, policies);
        this.cache = new VerdictCache(limits.cachedVerdictsMax());
        this.now = Objects.requireNonNull(now, "now");
        this.alreadyOrdered = Objects.requireNonNull(alreadyOrdered, "alreadyOrdered");
    }

    /** A validator with the channel's MSPs and policies and {@link ValidatorLimits#defaults default limits}. */
    public static EnvelopeValidator of(ChannelConfig config, Supplier<Instant> now, Predicate<String> alreadyOrdered) {
        MspRegistry registry = MspRegistry.of(config.msps().values());
        return new EnvelopeValidator(config, registry, PolicyEvaluator.of(config, registry),
                ValidatorLimits.defaults(config), now, alreadyOrdered);
    }

    @Override
    public boolean isValid(Payload payload) {
        return check(payload).valid();
    }

    /** The verdict with its reason; {@link #isValid} is {@code check(payload).valid()}. */
    public EnvelopeCheck check(Payload payload) {
        EnvelopeCheck cached = cachedCheck(payload);
        if (!cached.valid()) {
            return cached;
        }
        if (alreadyOrdered.test(payload.payloadId())) {
            counters.counted(EnvelopeVerdict.ALREADY_ORDERED);
            return EnvelopeCheck.rejected(EnvelopeVerdict.ALREADY_ORDERED, "tx " + payload.payloadId() + " is on the ledger");
        }
        return cached;
    }

    /**
     * Checks the payloads whose verdicts are not cached yet, in parallel on the executor; the future completes
     * when all are cached. Payloads with the same digest are checked once.
     */
    public CompletableFuture<Void> prevalidateAsync(Collection<Payload> payloads, Executor executor) {
        Map<Digest, Payload> uncached = new LinkedHashMap<>();
        for (Payload payload : payloads) {
            if (!cache.contains(payload.digest())) {
                uncached.putIfAbsent(payload.digest(), payload);
            }
        }
        List<CompletableFuture<EnvelopeCheck>> futures = new ArrayList<>(uncached.size());
        for (Payload payload : uncached.values()) {
            futures.add(CompletableFuture.supplyAsync(() -> cachedCheck(payload), executor));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** {@link #prevalidateAsync}, waiting for it. */
    public void prevalidate(Collection<Payload> payloads, Executor executor) {
        prevalidateAsync(payloads, executor).join();
    }

    /** Verdict counts, checks run and cache hits. */
    public ValidatorCounters counters() {
        return counters;
    }

    /** Verdicts currently cached. */
    public int cachedVerdicts() {
        return cache.size();
    }

    private EnvelopeCheck cachedCheck(Payload payload) {
        boolean[] computed = new boolean[1];
        EnvelopeCheck check = cache.get(payload.digest(), () -> {
            computed[0] = true;
            return checkUncached(payload);
        });
        if (!computed[0]) {
            counters.cacheHit();
        }
        return check;
    }

    private EnvelopeCheck checkUncached(Payload payload) {
        counters.checkRun();
        EnvelopeCheck check = checker.check(payload.payloadId(), payload.bytes(), now.get());
        counters.counted(check.verdict());
        if (!check.valid()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: tx {1} rejected: {2} {3}", channelId, payload.payloadId(),
                    check.verdict(), check.detail());
        }
        return check;
    }
}
