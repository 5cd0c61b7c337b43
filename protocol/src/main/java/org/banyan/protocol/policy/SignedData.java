package org.banyan.protocol.policy;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Fabric's {@code SignedData}: an identity's signature over some bytes (an envelope's payload, an endorsement's
 * response payload plus endorser).
 *
 * @param data the signed bytes
 * @param identity encoded {@code msp.SerializedIdentity}
 * @param signature the identity's signature over {@code data}
 */
public record SignedData(ByteString data, ByteString identity, ByteString signature) {
    /** All parts required. */
    public SignedData {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(signature, "signature");
    }
}
