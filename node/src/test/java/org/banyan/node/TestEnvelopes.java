package org.banyan.node;

import java.util.List;
import org.banyan.crypto.SigningIdentity;
import org.banyan.node.local.SampleEnvelopes;
import org.hyperledger.fabric.protos.common.Envelope;

/** Short names for node tests: {@link SampleEnvelopes}. */
public final class TestEnvelopes {
    private TestEnvelopes() {}

    /** An envelope with no endorsements: ordered, then ENDORSEMENT_POLICY_FAILURE at commit. */
    public static Envelope write(String channelId, SigningIdentity client, long i, int valueBytes) {
        return SampleEnvelopes.write(channelId, client, i, valueBytes, List.of());
    }

    /** An envelope endorsed by {@code endorsers} (enough of them: VALID at commit). */
    public static Envelope write(String channelId, SigningIdentity client, long i, int valueBytes,
            List<? extends SigningIdentity> endorsers) {
        return SampleEnvelopes.write(channelId, client, i, valueBytes, endorsers);
    }

    public static int freeBasePort(int count) {
        return SampleEnvelopes.freeBasePort(count);
    }
}
