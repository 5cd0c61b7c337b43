package org.banyan.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.gateway.RequestLimiter;
import org.banyan.node.local.SampleEnvelopes;
import org.banyan.protocol.BlockHashing;
import org.banyan.protocol.Blocks;
import org.banyan.protocol.Proposals;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/** The REST API's pure pieces: routing, query strings, error mapping, SSE framing, bodies, block summaries. */
class RestPiecesTest {
    private static Route route(String method, String template) {
        return new Route(method, template, true, call -> new Reply.Json(200, Map.of()));
    }

    @Test
    void routesMatchTemplatesAndDecodeParameters() {
        Route route = route("GET", "/api/channels/{channel}/transactions/{txId}");
        assertThat(route.match("/api/channels/my%20channel/transactions/a+b")).contains(
                Map.of("channel", "my channel", "txId", "a+b"));
        assertThat(route.match("/api/channels/ch/transactions/tx/")).contains(Map.of("channel", "ch", "txId", "tx"));
        assertThat(route.match("/api/channels/ch/transactions")).isEmpty();
        assertThat(route.match("/api/channels/ch/transactions/tx/more")).isEmpty();
        assertThat(route.match("/api/channels//transactions/tx")).isEmpty();
        assertThat(route.match("/api/channel/ch/transactions/tx")).isEmpty();
        assertThat(route.match("/" + "x/".repeat(Route.SEGMENTS_MAX + 5))).isEmpty();
        assertThat(route("GET", "/api/openapi.json").match("/api/openapi.json")).contains(Map.of());
    }

    @Test
    void queryStringsAreDecodedAndBounded() throws Exception {
        assertThat(Call.parseQuery("startBlock=5&afterTxId=a%2Bb&async")).containsExactly(
                Map.entry("startBlock", "5"), Map.entry("afterTxId", "a+b"), Map.entry("async", ""));
        assertThat(Call.parseQuery(null)).isEmpty();
        assertThatThrownBy(() -> Call.parseQuery("a=1&a=2")).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.getMessage()).contains("'a' is given more than once"));
        assertThatThrownBy(() -> Call.parseQuery("a=%zz")).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> Call.parseQuery("a=1&".repeat(Call.QUERY_PARAMS_MAX + 1)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    }

    @Test
    void gatewayCodesMapToHttpStatuses() {
        assertThat(ApiError.httpStatus(Status.Code.INVALID_ARGUMENT, "")).isEqualTo(400);
        assertThat(ApiError.httpStatus(Status.Code.UNAUTHENTICATED, "")).isEqualTo(401);
        assertThat(ApiError.httpStatus(Status.Code.PERMISSION_DENIED, "")).isEqualTo(403);
        assertThat(ApiError.httpStatus(Status.Code.NOT_FOUND, "")).isEqualTo(404);
        assertThat(ApiError.httpStatus(Status.Code.FAILED_PRECONDITION, "")).isEqualTo(422);
        assertThat(ApiError.httpStatus(Status.Code.ABORTED, "")).isEqualTo(422);
        assertThat(ApiError.httpStatus(Status.Code.UNKNOWN, "")).isEqualTo(422);
        assertThat(ApiError.httpStatus(Status.Code.RESOURCE_EXHAUSTED, RequestLimiter.RATE_LIMITED + ": more"))
                .isEqualTo(429);
        assertThat(ApiError.httpStatus(Status.Code.RESOURCE_EXHAUSTED, RequestLimiter.OVERLOADED + ": this node"))
                .isEqualTo(503);
        assertThat(ApiError.httpStatus(Status.Code.UNAVAILABLE, "")).isEqualTo(503);
        assertThat(ApiError.httpStatus(Status.Code.DEADLINE_EXCEEDED, "")).isEqualTo(504);
        assertThat(ApiError.httpStatus(Status.Code.INTERNAL, "")).isEqualTo(500);
        for (Status.Code code : Status.Code.values()) {
            assertThat(ApiError.httpStatus(code, null)).as(code.name()).isBetween(200, 599);
        }
    }

    @Test
    void errorBodiesCarryCodeDetailsAndExtras() {
        ApiError error = new ApiError(409, Status.Code.ABORTED, "no effect", List.of(), Map.of("txId", "abc"));
        assertThat(error.body()).containsEntry("error", "no effect").containsEntry("code", "ABORTED")
                .containsEntry("details", List.of()).containsEntry("txId", "abc");
    }

    @Test
    void serverSentEventsAreFramedAsTheSpecSays() {
        assertThat(new String(Sse.event("7:abc", "chaincode", "{\"a\":1}"), StandardCharsets.UTF_8))
                .isEqualTo("id: 7:abc\nevent: chaincode\ndata: {\"a\":1}\n\n");
        assertThat(new String(Sse.event(null, "end", "{}"), StandardCharsets.UTF_8)).isEqualTo("event: end\ndata: {}\n\n");
        assertThat(new String(Sse.comment("keep-alive"), StandardCharsets.UTF_8)).isEqualTo(": keep-alive\n\n");
        assertThatThrownBy(() -> Sse.event("1\n", "x", "{}")).isInstanceOf(AssertionError.class);
    }

    @Test
    void invocationBodiesAreCheckedWithClearMessages() throws Exception {
        InvocationBody body = InvocationBody.parse("""
                {"function": "CreateAsset", "args": ["a1", "blue"], "transient": {"secret": "AAEC"},
                 "endorsingOrgs": ["Org1MSP"]}""".getBytes(StandardCharsets.UTF_8), InvocationBody.Use.SUBMIT);
        Proposals.Invocation invocation = body.invocation("ch", "basic", Instant.ofEpochSecond(5), new byte[24]);
        assertThat(invocation.args()).containsExactly(ByteString.copyFromUtf8("CreateAsset"),
                ByteString.copyFromUtf8("a1"), ByteString.copyFromUtf8("blue"));
        assertThat(invocation.transientData()).containsEntry("secret", ByteString.copyFrom(new byte[] {0, 1, 2}));
        assertThat(invocation.timestamp().getSeconds()).isEqualTo(5);
        assertThat(body.endorsingOrgs()).containsExactly("Org1MSP");

        assertBadRequest("{\"function\": ", "line 1");
        assertBadRequest("{\"function\": \"f\", \"argz\": []}", "argz");
        assertBadRequest("{\"args\": [\"x\"]}", "\"function\" is required");
        assertBadRequest("{\"function\": \"f\", \"args\": [null]}", "not null");
        assertBadRequest("{\"function\": \"f\", \"endorsingOrgs\": [\"Org1MSP\"]}", "evaluate takes \"targetOrgs\"");
        assertBadRequest("[]", "invocation");
        assertBadRequest("", "invocation");
        assertThatThrownBy(() -> InvocationBody.parse("{\"function\": \"f\", \"transient\": {\"k\": \"!!\"}}"
                .getBytes(StandardCharsets.UTF_8), InvocationBody.Use.EVALUATE)
                .invocation("ch", "cc", Instant.EPOCH, new byte[24]))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage()).contains("\"k\" is not base64"));
    }

    private static void assertBadRequest(String json, String message) {
        assertThatThrownBy(() -> InvocationBody.parse(json.getBytes(StandardCharsets.UTF_8),
                InvocationBody.Use.EVALUATE)).as(json).isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void blockSummariesNameEachTransaction() {
        LocalSigningIdentity client = LocalSigningIdentity.ephemeral("Org1MSP", "client", "user", KeyType.ECDSA_P256,
                Instant.parse("2026-01-01T00:00:00Z"));
        Block block = Blocks.withValidationCodes(Blocks.create(3, ByteString.copyFrom(new byte[32]), List.of(
                SampleEnvelopes.write("ch", client, 1, 8, List.of()).toByteString(),
                ByteString.copyFromUtf8("not an envelope"))),
                List.of(TxValidationCode.VALID, TxValidationCode.BAD_PAYLOAD));
        BlockSummary summary = BlockSummary.of(block);
        assertThat(summary.number()).isEqualTo(3);
        assertThat(summary.hash()).isEqualTo(HexFormat.of().formatHex(BlockHashing.headerHash(block.getHeader())));
        assertThat(summary.previousHash()).isEqualTo("00".repeat(32));
        assertThat(summary.transactionCount()).isEqualTo(2);
        BlockSummary.Transaction tx = summary.transactions().get(0);
        assertThat(tx.txId()).hasSize(64);
        assertThat(tx.type()).isEqualTo("ENDORSER_TRANSACTION");
        assertThat(tx.validationCode()).isEqualTo("VALID");
        assertThat(tx.creatorMspId()).isEqualTo("Org1MSP");
        assertThat(tx.chaincode()).isEqualTo("asset");
        assertThat(tx.timestamp()).isEqualTo("2023-11-14T22:13:21Z");
        assertThat(summary.transactions().get(1).validationCode()).isEqualTo("BAD_PAYLOAD");
        assertThat(summary.transactions().get(1).error()).isNotEmpty();
    }
}
