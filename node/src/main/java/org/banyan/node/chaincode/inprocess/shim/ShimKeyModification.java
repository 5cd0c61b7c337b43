package org.banyan.node.chaincode.inprocess.shim;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.hyperledger.fabric.shim.ledger.KeyModification;

/** A history entry, as the shim's {@code KeyModificationImpl}. */
final class ShimKeyModification implements KeyModification {
    private final String txId;
    private final ByteString value;
    private final Instant timestamp;
    private final boolean deleted;

    ShimKeyModification(String txId, ByteString value, Instant timestamp, boolean deleted) {
        this.txId = txId;
        this.value = value;
        this.timestamp = timestamp;
        this.deleted = deleted;
    }

    @Override
    public String getTxId() {
        return txId;
    }

    @Override
    public byte[] getValue() {
        return value.toByteArray();
    }

    @Override
    public String getStringValue() {
        return value.toStringUtf8();
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    @Override
    public int hashCode() {
        int result = Boolean.hashCode(deleted);
        result = 31 * result + timestamp.hashCode();
        result = 31 * result + txId.hashCode();
        return 31 * result + value.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (other == null || getClass() != other.getClass()) {
            return false;
        }
        ShimKeyModification that = (ShimKeyModification) other;
        return deleted == that.deleted && timestamp.equals(that.timestamp) && txId.equals(that.txId)
                && value.equals(that.value);
    }
}
