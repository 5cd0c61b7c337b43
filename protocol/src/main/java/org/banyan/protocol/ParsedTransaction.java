package org.banyan.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * The parts of one envelope the ledger and tools need, decoded once.
 *
 * @param txId Fabric transaction ID from the channel header
 * @param creator encoded {@code msp.SerializedIdentity} of the submitter (empty for an unsigned genesis)
 * @param creatorMspId the creator's MSP ID, or empty
 * @param chaincodeName the invoked chaincode for endorser transactions, else empty
 * @param writes per-namespace read/write sets of an endorser transaction (empty for other types)
 */
public record ParsedTransaction(String txId, String channelId, HeaderType type, Timestamp timestamp,
                                ByteString creator, String creatorMspId, String chaincodeName,
                                List<NamespaceRwSet> writes) {

    /** One chaincode namespace's {@code KVRWSet}, as carried in {@code TxReadWriteSet.ns_rwset}. */
    public record NamespaceRwSet(String namespace, KVRWSet rwSet) {}
}
