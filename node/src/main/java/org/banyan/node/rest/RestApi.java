package org.banyan.node.rest;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.banyan.crypto.SigningIdentity;
import org.banyan.node.gateway.ChaincodeEvents;
import org.banyan.node.gateway.Gateway;
import org.banyan.node.gateway.GatewayChannel;
import org.banyan.node.gateway.GatewayException;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The REST endpoints over the {@link Gateway}: each builds, signs and sends what a Fabric gateway client would,
 * with the caller's wallet identity, and turns the answer into JSON. The HTTP server ({@link RestServer}) has
 * authenticated and admitted the call before a handler runs. Thread-safe.
 */
final class RestApi {
    static final String OPENAPI_RESOURCE = "openapi.json";
    /** The message a caller signs so that the channel's Readers policy can be evaluated for its identity. */
    private static final String READER_CHECK = "banyan REST reader check: ";

    private final Gateway gateway;
    private final Supplier<Instant> clock;
    private final LongSupplier nowMillis;
    private final SecureRandom random = new SecureRandom();
    private final byte[] openApi = openApiDocument();

    RestApi(Gateway gateway, Supplier<Instant> clock, LongSupplier nowMillis) {
        this.gateway = gateway;
        this.clock = clock;
        this.nowMillis = nowMillis;
    }

    /** Every endpoint; {@code openapi.json} describes exactly these (a test checks). */
    List<Route> routes() {
        String channel = "/api/channels/{channel}";
        String chaincode = channel + "/chaincodes/{chaincode}";
        return List.of(
                new Route("GET", "/api/openapi.json", false, call -> new Reply.Bytes(200, "application/json", openApi)),
                new Route("GET", channel, true, this::channel),
                new Route("POST", chaincode + "/evaluate", true, this::evaluate),
                new Route("POST", chaincode + "/submit", true, this::submit),
                new Route("GET", channel + "/transactions/{txId}", true, this::transaction),
                new Route("GET", channel + "/blocks/{number}", true, this::block),
                new Route("GET", channel + "/blocks", true, this::blockEvents),
                new Route("GET", chaincode + "/events", true, this::chaincodeEvents));
    }

    /** A call into the gateway. */
    private interface GatewayCall<T> {
        T run() throws GatewayException;
    }

    private static <T> T gateway(GatewayCall<T> call) throws ApiError {
        try {
            return call.run();
        } catch (GatewayException e) {
            throw ApiError.of(e);
        }
    }

    private Reply channel(Call call) throws ApiError {
        GatewayChannel channel = readableChannel(call);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel.channelId());
        body.put("height", channel.height());
        return new Reply.Json(200, body);
    }

    private Reply evaluate(Call call) throws ApiError {
        InvocationBody body = InvocationBody.parse(call.body().read(), InvocationBody.Use.EVALUATE);
        SignedProposal proposal = Proposals.create(body.invocation(call.param("channel"), call.param("chaincode"),
                clock.get(), TxIds.newNonce(random)), call.caller().identity());
        return new Reply.Json(200, InvocationBody.result(
                gateway(() -> gateway.evaluate(proposal, body.targetOrgs())).getPayload()));
    }

    /**
     * Endorse, sign and submit, as the Fabric gateway client's {@code submitTransaction}; then, unless
     * {@code ?async=true}, wait for the commit and answer its status.
     */
    private Reply submit(Call call) throws ApiError {
        InvocationBody body = InvocationBody.parse(call.body().read(), InvocationBody.Use.SUBMIT);
        boolean async = flag(call, "async");
        String channelId = call.param("channel");
        SigningIdentity identity = call.caller().identity();
        byte[] nonce = TxIds.newNonce(random);
        String txId = TxIds.compute(nonce, identity.serialize());
        SignedProposal proposal = Proposals.create(body.invocation(channelId, call.param("chaincode"), clock.get(),
                nonce), identity);
        Envelope prepared = gateway(() -> gateway.endorse(proposal, body.endorsingOrgs()));
        Envelope signed = prepared.toBuilder()
                .setSignature(ByteString.copyFrom(identity.sign(prepared.getPayload().toByteArray()))).build();
        gateway(() -> {
            gateway.submit(channelId, signed);
            return null;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("txId", txId);
        answer.putAll(InvocationBody.result(InvocationBody.result(prepared)));
        if (async) {
            answer.put("statusUrl", "/api/channels/" + channelId + "/transactions/" + txId);
            return new Reply.Json(202, answer);
        }
        Gateway.CommitStatus status;
        try {
            status = gateway.commitStatus(channelId, txId, gateway.settings().commitStatusTimeoutMillis());
        } catch (GatewayException e) {
            throw ApiError.of(e, Map.of("txId", txId));
        }
        if (status.code() != TxValidationCode.VALID) {
            throw new ApiError(409, Status.Code.ABORTED, "transaction " + txId + " was committed in block "
                    + status.blockNumber() + " as " + status.code() + ", so it had no effect", List.of(),
                    Map.of("txId", txId, "validationCode", status.code().name(), "blockNumber", status.blockNumber()));
        }
        answer.put("status", status.code().name());
        answer.put("blockNumber", status.blockNumber());
        return new Reply.Json(200, answer);
    }

    private Reply transaction(Call call) throws ApiError {
        GatewayChannel channel = readableChannel(call);
        String txId = call.param("txId");
        long maxSeconds = Math.max(1, gateway.settings().commitStatusTimeoutMillis() / 1_000);
        long waitSeconds = number(call, "wait", 0, maxSeconds);
        Gateway.CommitStatus status;
        try {
            status = gateway.commitStatus(channel.channelId(), txId, waitSeconds * 1_000);
        } catch (GatewayException e) {
            if (e.code() == Status.Code.DEADLINE_EXCEEDED) {
                throw new ApiError(404, Status.Code.NOT_FOUND, "transaction " + txId + " is not committed on channel "
                        + channel.channelId() + (waitSeconds > 0 ? " after " + waitSeconds + " s" : "")
                        + "; ask again, or wait for it with ?wait=SECONDS (at most " + maxSeconds + ")");
            }
            throw ApiError.of(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("txId", txId);
        body.put("status", status.code().name());
        body.put("valid", status.code() == TxValidationCode.VALID);
        body.put("blockNumber", status.blockNumber());
        return new Reply.Json(200, body);
    }

    private Reply block(Call call) throws ApiError {
        GatewayChannel channel = readableChannel(call);
        long number = parseNumber("block number", call.param("number"), 0, Long.MAX_VALUE);
        String format = call.query("format").orElse("json");
        if (!format.equals("json") && !format.equals("protobuf")) {
            throw ApiError.badRequest("format must be json or protobuf, not '" + format + "'");
        }
        long height = channel.height();
        if (number >= height) {
            throw new ApiError(404, Status.Code.NOT_FOUND, "block " + number + " is not committed on channel "
                    + channel.channelId() + ": its height is " + height + " (blocks 0 to " + (height - 1) + ")");
        }
        return format.equals("protobuf")
                ? new Reply.Bytes(200, "application/octet-stream", channel.block(number).toByteArray())
                : new Reply.Json(200, BlockSummary.of(channel.block(number)));
    }

    private Reply blockEvents(Call call) throws ApiError {
        GatewayChannel channel = readableChannel(call);
        long start = channel.height();
        var lastEventId = call.header("Last-Event-ID");
        if (lastEventId.isPresent()) {
            start = parseNumber("Last-Event-ID", lastEventId.get().strip(), 0, Long.MAX_VALUE - 1) + 1;
        } else if (call.query("startBlock").isPresent()) {
            start = number(call, "startBlock", 0, Long.MAX_VALUE);
        }
        long from = start;
        return new Reply.Events(sink -> endOnFailure(sink, () -> BlockEvents.stream(channel, from, sink,
                gateway.settings().streamIdleTimeoutMillis(), nowMillis)));
    }

    /**
     * The chaincode's events from {@code startBlock}, or after the transaction {@code afterTxId}, or from the next
     * block to commit; a {@code Last-Event-ID} of {@code BLOCK:TXID} (the ID of each event sent) resumes just after
     * that event, whatever the query says.
     */
    private Reply chaincodeEvents(Call call) throws ApiError {
        GatewayChannel channel = readableChannel(call);
        ChaincodeEventsRequest.Builder request = ChaincodeEventsRequest.newBuilder()
                .setChannelId(channel.channelId()).setChaincodeId(call.param("chaincode"));
        var lastEventId = call.header("Last-Event-ID");
        if (lastEventId.isPresent()) {
            String checkpoint = lastEventId.get().strip();
            int colon = checkpoint.indexOf(':');
            if (colon < 1 || colon == checkpoint.length() - 1) {
                throw ApiError.badRequest("Last-Event-ID must be BLOCK:TXID, the id of an event this stream sent; "
                        + "got '" + checkpoint + "'");
            }
            request.setStartPosition(specified(parseNumber("Last-Event-ID block", checkpoint.substring(0, colon), 0,
                    Long.MAX_VALUE))).setAfterTransactionId(checkpoint.substring(colon + 1));
        } else {
            if (call.query("startBlock").isPresent()) {
                request.setStartPosition(specified(number(call, "startBlock", 0, Long.MAX_VALUE)));
            }
            call.query("afterTxId").ifPresent(request::setAfterTransactionId);
        }
        ChaincodeEventsRequest built = request.build();
        return new Reply.Events(sink -> endOnFailure(sink, () -> ChaincodeEvents.stream(channel, built,
                new ChaincodeEvents.Sink() {
                    @Override
                    public boolean open() {
                        return sink.open();
                    }

                    @Override
                    public void send(ChaincodeEventsResponse response) {
                        response.getEventsList().forEach(event -> sink.send(response.getBlockNumber() + ":"
                                + event.getTxId(), "chaincode", chaincodeEvent(response.getBlockNumber(), event)));
                    }
                }, gateway.settings().streamIdleTimeoutMillis(), nowMillis)));
    }

    private static Map<String, Object> chaincodeEvent(long blockNumber, ChaincodeEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("blockNumber", blockNumber);
        data.put("txId", event.getTxId());
        data.put("chaincode", event.getChaincodeId());
        data.put("eventName", event.getEventName());
        data.put("payload", event.getPayload().toString(StandardCharsets.UTF_8));
        data.put("payloadBase64", java.util.Base64.getEncoder().encodeToString(event.getPayload().toByteArray()));
        return data;
    }

    /** A stream's body. */
    private interface StreamBody {
        void run() throws GatewayException, InterruptedException;
    }

    /** Runs a stream; when it ends for a reason of its own (idle timeout), the last event says why. */
    private static void endOnFailure(EventSink sink, StreamBody body) throws InterruptedException {
        try {
            body.run();
        } catch (GatewayException e) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("error", e.getMessage());
            end.put("code", e.code().name());
            sink.send(null, "end", end);
        }
    }

    /**
     * The channel, once the caller's identity is checked against its Readers policy — what Fabric's gateway checks
     * for CommitStatus and ChaincodeEvents and Deliver checks for blocks. The caller signs a message with its wallet
     * identity, so the policy is evaluated exactly as for a signed gRPC request.
     */
    private GatewayChannel readableChannel(Call call) throws ApiError {
        GatewayChannel channel = gateway(() -> gateway.channel(call.param("channel")));
        SigningIdentity identity = call.caller().identity();
        byte[] message = (READER_CHECK + channel.channelId() + " " + clock.get()).getBytes(StandardCharsets.UTF_8);
        gateway(() -> {
            gateway.checkReader(channel.channelId(), ByteString.copyFrom(message),
                    ByteString.copyFrom(identity.serialize()), ByteString.copyFrom(identity.sign(message)));
            return null;
        });
        return channel;
    }

    private static SeekPosition specified(long block) {
        return SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(block)).build();
    }

    private static boolean flag(Call call, String name) throws ApiError {
        String value = call.query(name).orElse("false");
        return switch (value) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw ApiError.badRequest(name + " must be true or false, not '" + value + "'");
        };
    }

    private static long number(Call call, String name, long min, long max) throws ApiError {
        return parseNumber(name, call.query(name).orElse(Long.toString(min)), min, max);
    }

    private static long parseNumber(String what, String text, long min, long max) throws ApiError {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(what + " must be a whole number, not '" + text + "'");
        }
        if (value < min || value > max) {
            throw ApiError.badRequest(what + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    private static byte[] openApiDocument() {
        try (InputStream in = RestApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the node's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
        }
    }
}
