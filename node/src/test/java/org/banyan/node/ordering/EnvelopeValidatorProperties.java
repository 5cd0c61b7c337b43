package org.banyan.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.banyan.consensus.Payload;
import org.hyperledger.fabric.protos.common.Envelope;

class EnvelopeValidatorProperties {
    private static final EnvelopeFixture F = EnvelopeFixture.INSTANCE;
    private static final int ENVELOPES = 12;
    /** Index i < ENVELOPES: envelope i as signed; i >= ENVELOPES: envelope i - ENVELOPES with a tampered payload. */
    private static final List<Payload> POOL = pool();

    private static List<Payload> pool() {
        List<Payload> valid = new ArrayList<>();
        List<Payload> tampered = new ArrayList<>();
        for (int i = 0; i < ENVELOPES; i++) {
            Envelope envelope = EnvelopeFixture.envelope(i % 2 == 0 ? F.client1 : F.client2, EnvelopeFixture.CHANNEL, 100 + i);
            valid.add(EnvelopeFixture.payload(envelope));
            tampered.add(EnvelopeFixture.tampered(envelope));
        }
        valid.addAll(tampered);
        return List.copyOf(valid);
    }

    /**
     * Verifying a proposal's payloads in parallel first gives the same verdicts as checking them one by one on
     * the event loop, each distinct payload is verified exactly once, and the event loop then only hits the cache.
     */
    @Property(tries = 60)
    void parallelPrevalidationAgreesWithSequentialChecks(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(max = 2 * ENVELOPES - 1) Integer> picks) {
        List<Payload> proposal = picks.stream().map(POOL::get).toList();
        EnvelopeValidator sequential = EnvelopeValidator.of(F.config, Instant::now, txId -> false);
        EnvelopeValidator parallel = EnvelopeValidator.of(F.config, Instant::now, txId -> false);

        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            parallel.prevalidate(proposal, pool);
        }
        List<Boolean> expected = picks.stream().map(i -> i < ENVELOPES).toList();

        assertThat(proposal.stream().map(sequential::isValid).toList()).isEqualTo(expected);
        long checksBefore = parallel.counters().checksRun();
        assertThat(proposal.stream().map(parallel::isValid).toList()).isEqualTo(expected);
        assertThat(checksBefore).isEqualTo(new HashSet<>(picks).size());
        assertThat(parallel.counters().checksRun()).isEqualTo(checksBefore);
        assertThat(parallel.counters().cacheHits()).isEqualTo(proposal.size());
    }
}
