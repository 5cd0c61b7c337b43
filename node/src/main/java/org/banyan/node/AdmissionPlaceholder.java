package org.banyan.node;

import com.google.protobuf.ByteString;
import org.banyan.consensus.PayloadValidator;
import org.banyan.node.consensus.LedgerChain;

/** Interim admission until the envelope validator lands: the payload id must be the envelope's tx id. */
final class AdmissionPlaceholder {
    private AdmissionPlaceholder() {}

    static PayloadValidator forChannel(String channelId) {
        return payload -> LedgerChain.payload(ByteString.copyFrom(payload.bytes()))
                .map(p -> p.payloadId().equals(payload.payloadId())).orElse(false);
    }
}
