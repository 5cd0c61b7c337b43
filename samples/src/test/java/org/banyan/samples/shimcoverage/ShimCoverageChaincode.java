package org.banyan.samples.shimcoverage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * One transaction per call of Fabric's {@code ChaincodeStub} (function name = the call), each returning what the
 * call returned as its payload (text, or JSON with sorted keys). When a call throws, the transaction answers status
 * 500 with the shim's exception message as the message, and, as the payload, the text of the {@code ERROR} the peer
 * sent for it (empty when the shim refused the call itself) — kept by {@link WireErrors}.
 *
 * <p>Arguments are strings; for {@code byte[]} values the UTF-8 bytes.
 */
public final class ShimCoverageChaincode extends ChaincodeBase {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Override
    public Response init(ChaincodeStub stub) {
        return ResponseUtils.newSuccessResponse();
    }

    @Override
    public Response invoke(ChaincodeStub stub) {
        try {
            return ResponseUtils.newSuccessResponse(call(stub, stub.getFunction(), stub.getParameters())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return ResponseUtils.newErrorResponse(e.getMessage(),
                    WireErrors.take(stub.getTxId()).orElse("").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public Properties getChaincodeConfig() {
        return withWireErrors(super.getChaincodeConfig());
    }

    /** Turns on the shim's traces with {@link WireErrors} as the provider (its gRPC interceptor). */
    static Properties withWireErrors(Properties props) {
        props.setProperty("CHAINCODE_TRACES_ENABLED", "true");
        props.setProperty("CHAINCODE_TRACES_PROVIDER", WireErrors.class.getName());
        return props;
    }

    private static String call(ChaincodeStub stub, String function, List<String> p) {
        return switch (function) {
            case "GetState" -> text(stub.getState(p.get(0)));
            case "PutState" -> {
                stub.putState(p.get(0), bytes(p.get(1)));
                yield "";
            }
            case "PutStates" -> {
                for (int i = 0; i < p.size(); i += 2) {
                    stub.putState(p.get(i), bytes(p.get(i + 1)));
                }
                yield "";
            }
            case "DelState" -> {
                stub.delState(p.get(0));
                yield "";
            }
            case "PutThenGet" -> {
                stub.putState(p.get(0), bytes(p.get(1)));
                yield text(stub.getState(p.get(0)));
            }
            case "GetStateByRange" -> json(keyValues(stub.getStateByRange(p.get(0), p.get(1)), Integer.MAX_VALUE));
            case "GetFirstOfRange" -> json(keyValues(stub.getStateByRange(p.get(0), p.get(1)), 1));
            case "GetStateByRangeWithPagination" -> page(stub.getStateByRangeWithPagination(p.get(0), p.get(1),
                    Integer.parseInt(p.get(2)), p.get(3)));
            case "TwoRanges" -> twoRanges(stub, p);
            case "PaginatedThenPut" -> {
                close(stub.getStateByRangeWithPagination("", "", 1, ""));
                stub.putState(p.get(0), bytes("v"));
                yield "";
            }
            case "PutComposite" -> {
                String key = stub.createCompositeKey(p.get(0), p.subList(1, p.size() - 1).toArray(String[]::new))
                        .toString();
                stub.putState(key, bytes(p.getLast()));
                yield key;
            }
            case "GetStateByPartialCompositeKey" -> json(keyValues(stub.getStateByPartialCompositeKey(
                    p.get(0), p.subList(1, p.size()).toArray(String[]::new)), Integer.MAX_VALUE));
            case "GetStateByPartialCompositeKeyWithPagination" -> page(stub.getStateByPartialCompositeKeyWithPagination(
                    new CompositeKey(p.get(0)), Integer.parseInt(p.get(1)), p.get(2)));
            case "GetHistoryForKey" -> history(stub.getHistoryForKey(p.get(0)));
            case "SetEvent" -> {
                stub.setEvent(p.get(0), bytes(p.get(1)));
                yield "";
            }
            case "TxInfo" -> txInfo(stub);
            case "SetStateValidationParameter" -> {
                stub.setStateValidationParameter(p.get(0), bytes(p.get(1)));
                yield "";
            }
            case "GetStateValidationParameter" -> text(stub.getStateValidationParameter(p.get(0)));
            case "InvokeChaincode" -> invoke(stub, p);
            case "GetQueryResult" -> json(keyValues(stub.getQueryResult(p.get(0)), Integer.MAX_VALUE));
            case "GetQueryResultWithPagination" -> page(stub.getQueryResultWithPagination(p.get(0),
                    Integer.parseInt(p.get(1)), p.get(2)));
            case "GetPrivateData" -> text(stub.getPrivateData(p.get(0), p.get(1)));
            case "GetPrivateDataHash" -> text(stub.getPrivateDataHash(p.get(0), p.get(1)));
            case "PutPrivateData" -> {
                stub.putPrivateData(p.get(0), p.get(1), bytes(p.get(2)));
                yield "";
            }
            case "DelPrivateData" -> {
                stub.delPrivateData(p.get(0), p.get(1));
                yield "";
            }
            case "PurgePrivateData" -> {
                stub.purgePrivateData(p.get(0), p.get(1));
                yield "";
            }
            case "GetPrivateDataByRange" -> json(keyValues(stub.getPrivateDataByRange(p.get(0), p.get(1), p.get(2)),
                    Integer.MAX_VALUE));
            case "GetPrivateDataQueryResult" -> json(keyValues(stub.getPrivateDataQueryResult(p.get(0), p.get(1)),
                    Integer.MAX_VALUE));
            case "GetPrivateDataValidationParameter" -> text(stub.getPrivateDataValidationParameter(p.get(0), p.get(1)));
            case "SetPrivateDataValidationParameter" -> {
                stub.setPrivateDataValidationParameter(p.get(0), p.get(1), bytes(p.get(2)));
                yield "";
            }
            default -> throw new IllegalArgumentException("no function " + function);
        };
    }

    /** Opens two ranges, reads and closes the second one first: the read/write set keeps the order opened. */
    private static String twoRanges(ChaincodeStub stub, List<String> p) {
        QueryResultsIterator<KeyValue> first = stub.getStateByRange(p.get(0), p.get(1));
        QueryResultsIterator<KeyValue> second = stub.getStateByRange(p.get(2), p.get(3));
        List<String> secondKeys = keyValues(second, Integer.MAX_VALUE);
        List<String> firstKeys = keyValues(first, Integer.MAX_VALUE);
        return json(List.of(firstKeys, secondKeys));
    }

    private static String invoke(ChaincodeStub stub, List<String> p) {
        List<byte[]> args = new ArrayList<>();
        p.subList(2, p.size()).forEach(a -> args.add(bytes(a)));
        Chaincode.Response response = stub.invokeChaincode(p.get(0), args, p.get(1));
        Map<String, Object> result = new TreeMap<>();
        result.put("status", response.getStatusCode());
        result.put("message", response.getMessage());
        result.put("payload", response.getStringPayload());
        return json(result);
    }

    private static String txInfo(ChaincodeStub stub) {
        Map<String, Object> info = new TreeMap<>();
        Base64.Encoder base64 = Base64.getEncoder();
        info.put("txId", stub.getTxId());
        info.put("channelId", stub.getChannelId());
        info.put("creator", base64.encodeToString(stub.getCreator()));
        info.put("timestamp", stub.getTxTimestamp().toString());
        info.put("signedProposal", base64.encodeToString(stub.getSignedProposal().toByteArray()));
        Map<String, String> transientMap = new TreeMap<>();
        stub.getTransient().forEach((k, v) -> transientMap.put(k, text(v)));
        info.put("transient", transientMap);
        info.put("binding", HexFormat.of().formatHex(stub.getBinding()));
        info.put("args", stub.getStringArgs());
        return json(info);
    }

    /** Up to {@code max} results as {@code key=value} (a composite key as {@code type|attr|...}), then closes. */
    private static <I extends Iterable<KeyValue> & AutoCloseable> List<String> keyValues(I results, int max) {
        List<String> out = new ArrayList<>();
        for (KeyValue kv : results) {
            if (out.size() == max) {
                break;
            }
            String key = kv.getKey().startsWith(CompositeKey.NAMESPACE)
                    ? String.join("|", compositeParts(CompositeKey.parseCompositeKey(kv.getKey()))) : kv.getKey();
            out.add(key + "=" + kv.getStringValue());
        }
        close(results);
        return out;
    }

    private static List<String> compositeParts(CompositeKey key) {
        List<String> parts = new ArrayList<>();
        parts.add(key.getObjectType());
        parts.addAll(key.getAttributes());
        return parts;
    }

    private static String page(QueryResultsIteratorWithMetadata<KeyValue> results) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("bookmark", results.getMetadata().getBookmark());
        page.put("fetched", results.getMetadata().getFetchedRecordsCount());
        page.put("keys", keyValues(results, Integer.MAX_VALUE));
        return json(page);
    }

    private static String history(QueryResultsIterator<KeyModification> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (KeyModification modification : results) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("txId", modification.getTxId());
            entry.put("value", modification.getStringValue());
            entry.put("isDelete", modification.isDeleted());
            entry.put("timestamp", modification.getTimestamp().toString());
            out.add(entry);
        }
        close(results);
        return json(out);
    }

    private static void close(AutoCloseable results) {
        try {
            results.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing query results failed: " + e.getMessage(), e);
        }
    }

    private static String text(byte[] value) {
        return value == null ? "(null)" : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
