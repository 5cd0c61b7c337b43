package org.banyan.node;

import org.banyan.crypto.SigningIdentity;
import org.banyan.node.local.SampleEnvelopes;
import org.hyperledger.fabric.protos.common.Envelope;

/** Short names for node tests: {@link SampleEnvelopes}. */
public final class TestEnvelopes {
    private TestEnvelopes() {}

    public static Envelope write(String channelId, SigningIdentity client, long i, int valueBytes) {
        return SampleEnvelopes.write(channelId, client, i, valueBytes);
    }

    public static int freeBasePort(int count) {
        return SampleEnvelopes.freeBasePort(count);
    }
}
