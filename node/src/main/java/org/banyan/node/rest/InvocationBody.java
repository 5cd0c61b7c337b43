package org.banyan.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.banyan.protocol.Proposals;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/**
 * The body of {@code evaluate} and {@code submit}:
 * {@code {"function": "...", "args": ["..."], "transient": {"name": "base64"}, "targetOrgs": [...]}} for evaluate,
 * {@code "endorsingOrgs"} instead of {@code "targetOrgs"} for submit — the arguments of the Fabric gateway client's
 * {@code Proposal}. Arguments are text (UTF-8); transient values are bytes, base64.
 */
record InvocationBody(String function, List<String> args, @JsonProperty("transient") Map<String, String> transientData,
        List<String> targetOrgs, List<String> endorsingOrgs) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    InvocationBody {
        // A copy that keeps nulls, so that parse() can name them.
        args = args == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(args));
        transientData = transientData == null ? Map.of() : new TreeMap<>(transientData);
        targetOrgs = targetOrgs == null ? List.of() : List.copyOf(targetOrgs);
        endorsingOrgs = endorsingOrgs == null ? List.of() : List.copyOf(endorsingOrgs);
    }

    /** What the body is for: evaluate takes {@code targetOrgs}, submit {@code endorsingOrgs}. */
    enum Use { EVALUATE, SUBMIT }

    /**
     * Reads and checks a body.
     *
     * @throws ApiError 400 naming the problem: not JSON, an unknown or mistyped field, no function, a null argument,
     *     the other use's organisation list
     */
    static InvocationBody parse(byte[] json, Use use) throws ApiError {
        InvocationBody body;
        try {
            body = JSON.readValue(json, InvocationBody.class);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest("request body is not a valid invocation: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("request body cannot be read: " + e.getMessage());
        }
        if (body == null) {
            throw ApiError.badRequest("request body must be a JSON object with at least \"function\"");
        }
        if (body.function() == null || body.function().isEmpty()) {
            throw ApiError.badRequest("\"function\" is required: the chaincode function to call");
        }
        if (body.args().stream().anyMatch(java.util.Objects::isNull)) {
            throw ApiError.badRequest("\"args\" must be strings, not null");
        }
        if (use == Use.EVALUATE && !body.endorsingOrgs().isEmpty()) {
            throw ApiError.badRequest("\"endorsingOrgs\" is for submit; evaluate takes \"targetOrgs\"");
        }
        if (use == Use.SUBMIT && !body.targetOrgs().isEmpty()) {
            throw ApiError.badRequest("\"targetOrgs\" is for evaluate; submit takes \"endorsingOrgs\"");
        }
        return body;
    }

    /**
     * The proposal's content: the function and arguments as the chaincode's arguments, transient data decoded.
     *
     * @throws ApiError 400 for a transient value that is not base64
     */
    Proposals.Invocation invocation(String channelId, String chaincode, Instant now, byte[] nonce) throws ApiError {
        List<ByteString> chaincodeArgs = new ArrayList<>(args.size() + 1);
        chaincodeArgs.add(ByteString.copyFromUtf8(function));
        args.forEach(arg -> chaincodeArgs.add(ByteString.copyFromUtf8(arg)));
        Map<String, ByteString> decoded = new TreeMap<>();
        for (Map.Entry<String, String> entry : transientData.entrySet()) {
            try {
                decoded.put(entry.getKey(), ByteString.copyFrom(Base64.getDecoder().decode(
                        entry.getValue() == null ? "" : entry.getValue())));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("transient value \"" + entry.getKey() + "\" is not base64: "
                        + e.getMessage());
            }
        }
        Timestamp timestamp = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
        return new Proposals.Invocation(channelId, chaincode, chaincodeArgs, decoded, timestamp, nonce);
    }

    /** A chaincode's result as JSON: as text (UTF-8; binary turns into replacement characters) and as base64. */
    static Map<String, Object> result(ByteString payload) {
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("result", payload.toString(StandardCharsets.UTF_8));
        result.put("resultBase64", Base64.getEncoder().encodeToString(payload.toByteArray()));
        return result;
    }

    /**
     * The chaincode's response payload in a prepared transaction (what Fabric's gateway clients read from it): the
     * first action's chaincode response.
     */
    static ByteString result(Envelope prepared) {
        try {
            Transaction transaction = Transaction.parseFrom(Payload.parseFrom(prepared.getPayload()).getData());
            if (transaction.getActionsCount() == 0) {
                return ByteString.EMPTY;
            }
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(ChaincodeActionPayload.parseFrom(
                    transaction.getActions(0).getPayload()).getAction().getProposalResponsePayload());
            return ChaincodeAction.parseFrom(response.getExtension()).getResponse().getPayload();
        } catch (InvalidProtocolBufferException e) {
            // The gateway assembled it from endorsements it parsed; a failure here is a bug.
            throw new IllegalStateException("the prepared transaction does not parse", e);
        }
    }
}
