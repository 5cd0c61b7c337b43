package org.banyan.node.chaincode.inprocess.shim;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.shim.ledger.KeyValue;

/** A range result, as the shim's {@code KeyValueImpl}: the value copied out on each call. */
final class ShimKeyValue implements KeyValue {
    private final String key;
    private final ByteString value;

    ShimKeyValue(String key, ByteString value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public String getKey() {
        return key;
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
    public int hashCode() {
        return 31 * key.hashCode() + value.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other != null && getClass() == other.getClass()
                && key.equals(((ShimKeyValue) other).key) && value.equals(((ShimKeyValue) other).value);
    }
}
