package org.banyan.node.chaincode.inprocess.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction of one chaincode as its stub sees it, served by the node directly over the transaction's simulator:
 * what Fabric's shim learns from the {@code TRANSACTION} message, and one method per request the shim would send.
 * Calls come from the chaincode's code, normally on the thread that runs the transaction; they are served one at a
 * time. A refused request throws {@link PortRefusedException}; arguments are what the shim would have put in the
 * request (a null the shim could not encode never gets here).
 */
public interface PortTransaction {
    String channelId();

    String txId();

    /** True for {@code INIT} (Fabric's {@code --isInit}), false for {@code TRANSACTION}. */
    boolean init();

    /** The chaincode input's arguments. */
    List<byte[]> args();

    /** The signed proposal's {@code proposal_bytes}; empty when the transaction has no proposal. */
    byte[] proposalBytes();

    /** The signed proposal's {@code signature}. */
    byte[] signature();

    /** The node's MSP ID, Fabric's {@code CORE_PEER_LOCALMSPID} of the chaincode; empty when not configured. */
    Optional<String> localMspId();

    /** {@code GET_STATE}: the value, empty when absent. */
    byte[] getState(String collection, String key);

    /** {@code GET_STATE_METADATA}: the key's metadata by name. */
    Map<String, byte[]> getStateMetadata(String collection, String key);

    /** {@code PUT_STATE}. */
    void putState(String collection, String key, byte[] value);

    /** {@code PUT_STATE_METADATA}: one entry. */
    void putStateMetadata(String collection, String key, String metakey, byte[] value);

    /** {@code DEL_STATE}. */
    void delState(String collection, String key);

    /** {@code GET_STATE_BY_RANGE}: paginated when the page size is not 0 or there is a bookmark. */
    PortResults<PortResults.StateEntry> getStateByRange(String collection, String startKey, String endKey,
            int pageSize, String bookmark);

    /** {@code QUERY_STATE_NEXT}. */
    PortResults<?> queryNext(String id);

    /** {@code QUERY_STATE_CLOSE}. */
    void queryClose(String id);

    /** {@code GET_QUERY_RESULT}. */
    PortResults<PortResults.StateEntry> getQueryResult(String collection, String query, int pageSize,
            String bookmark);

    /** {@code GET_HISTORY_FOR_KEY}. */
    PortResults<PortResults.HistoryEntry> getHistoryForKey(String key);

    /** {@code GET_PRIVATE_DATA_HASH}. */
    byte[] getPrivateDataHash(String collection, String key);

    /** {@code PURGE_PRIVATE_DATA}. */
    void purgePrivateData(String collection, String key);

    /**
     * {@code INVOKE_CHAINCODE}: runs {@code name[:version][/channel]} in this transaction.
     *
     * @return the callee's answer ({@code COMPLETED} with its response, or {@code ERROR} with its text)
     */
    PortAnswer invokeChaincode(String name, List<byte[]> args);
}
