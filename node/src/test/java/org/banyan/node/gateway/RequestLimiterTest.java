package org.banyan.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aClientOverItsRateIsRefusedUntilTokensRefill() throws Exception {
        RequestLimiter limiter = new RequestLimiter(100, 5, nanos::get);
        for (int i = 0; i < 5; i++) {
            limiter.admit("alice").close();
        }
        assertThatThrownBy(() -> limiter.admit("alice")).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getMessage()).contains("rate limit exceeded").contains("5 requests per second");
        });
        // Another client has its own bucket.
        limiter.admit("bob").close();
        // A fifth of a second later, one token is back.
        nanos.addAndGet(200_000_000L);
        limiter.admit("alice").close();
        assertThatThrownBy(() -> limiter.admit("alice")).isInstanceOf(GatewayException.class);
    }

    @Test
    void concurrencyIsBoundedOverAllClientsAndReleasedOnClose() throws Exception {
        RequestLimiter limiter = new RequestLimiter(2, 1_000, nanos::get);
        RequestLimiter.Permit first = limiter.admit("a");
        RequestLimiter.Permit second = limiter.admit("b");
        assertThatThrownBy(() -> limiter.admit("c")).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.getMessage()).contains("at most 2 at once"));
        first.close();
        limiter.admit("c").close();
        second.close();
    }
}
