package org.banyan.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.banyan.node.config.NodeConfig;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.ParsedTransaction;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.policy.SignedData;
import org.banyan.protocol.policy.Signers;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric's gateway (the peer's {@code gateway.Gateway} service, Fabric 2.4+) over this node's channels: the logic
 * shared by the gRPC service and the REST API, with Fabric's status codes and messages.
 *
 * <ul>
 *   <li><b>Evaluate</b> runs the proposal on one endorser — this organisation's first, else the others in order —
 *       and returns the chaincode's response. Another endorser is tried when one is unreachable or fails on its
 *       own side (status 500 without payload); a chaincode error or a refusal is final.
 *   <li><b>Endorse</b> runs the proposal on this organisation's endorser first; from its read/write set it
 *       computes the smallest set of organisations whose peers satisfy every policy the transaction must pass at
 *       validation (the chaincode's endorsement policy from {@code _lifecycle}, key-level policies of the keys it
 *       writes, channel policies it refers to), collects the others in parallel, and when one fails plans again
 *       without it. It returns the prepared transaction for the client to sign. A client that names its
 *       endorsing organisations gets exactly those.
 *   <li><b>Submit</b> checks the signed transaction as Broadcast does and queues it for ordering on this node,
 *       which is one of the channel's consenters.
 *   <li><b>CommitStatus</b> and <b>ChaincodeEvents</b> check the caller against the channel's Readers policy
 *       and answer from this node's ledger.
 * </ul>
 * Thread-safe. Limits (request size, concurrency, rate) are applied by the services in front of it.
 */
public final class Gateway implements AutoCloseable {
    /** Fabric's ACL for the gateway's CommitStatus and ChaincodeEvents (channel readers). */
    public static final String READERS_POLICY = "/Channel/Application/Readers";

    /** What the gateway reaches: the channels it serves and each organisation's endorser on a channel. */
    public interface Network {
        Optional<GatewayChannel> channel(String channelId);

        /** The endorser of {@code mspId} for the channel: this node's own for its organisation. */
        Optional<OrgEndorser> endorser(String channelId, String mspId);
    }

    private final String localMspId;
    private final Network network;
    private final NodeConfig.GatewaySettings settings;
    private final Supplier<Instant> clock;
    /** Runs endorsements of one request in parallel; virtual threads, as each waits on a gRPC call. */
    private final ExecutorService endorsements = Executors.newVirtualThreadPerTaskExecutor();
    private final CommitWaiters commits = new CommitWaiters(CommitWaiters.WAITERS_MAX);

    public Gateway(String localMspId, Network network, NodeConfig.GatewaySettings settings, Supplier<Instant> clock) {
        this.localMspId = localMspId;
        this.network = network;
        this.settings = settings;
        this.clock = clock;
    }

    /** Tell the gateway a block is committed on a channel, so CommitStatus calls waiting for its transactions return. */
    public void blockCommitted(String channelId, org.hyperledger.fabric.protos.common.Block block) {
        commits.blockCommitted(channelId, block);
    }

    /** The chaincode response of evaluating the proposal on one endorser (Fabric's {@code Evaluate}). */
    public Response evaluate(SignedProposal signed, List<String> targetOrgs) throws GatewayException {
        Request request = request(signed);
        List<String> order = targetOrgs.isEmpty() ? preferenceOrder(request.channel()) : List.copyOf(targetOrgs);
        List<ErrorDetail> details = new ArrayList<>();
        Status.Code lastCode = Status.Code.UNAVAILABLE;
        for (String mspId : order) {
            Optional<OrgEndorser> endorser = network.endorser(request.channel().channelId(), mspId);
            if (endorser.isEmpty()) {
                details.add(GatewayException.detail("", mspId, "no endorser of " + mspId + " is known on channel "
                        + request.channel().channelId()));
                continue;
            }
            Outcome outcome = call(endorser.get(), signed);
            if (outcome.response() != null) {
                return resultOf(outcome.response());
            }
            details.add(outcome.detail());
            if (!outcome.retry()) {
                throw new GatewayException(outcome.code(), "evaluate call to endorser returned error: "
                        + outcome.detail().getMessage(), details);
            }
            lastCode = outcome.code();
        }
        throw new GatewayException(lastCode, "failed to evaluate transaction, see attached details for more info",
                details);
    }

    /**
     * The transaction endorsed as the policies require, prepared for the client to sign (Fabric's {@code Endorse}):
     * an envelope whose payload the client signs; its signature is empty.
     */
    public Envelope endorse(SignedProposal signed, List<String> endorsingOrgs) throws GatewayException {
        Request request = request(signed);
        Map<String, ProposalResponse> endorsed = new LinkedHashMap<>();
        List<ErrorDetail> details = new ArrayList<>();
        if (!endorsingOrgs.isEmpty()) {
            // The client names the organisations and answers for the policy, as with Fabric.
            collect(request, signed, List.copyOf(new java.util.LinkedHashSet<>(endorsingOrgs)), null, endorsed,
                    details);
            if (endorsed.size() < new java.util.HashSet<>(endorsingOrgs).size()) {
                throw new GatewayException(Status.Code.ABORTED,
                        "failed to collect enough transaction endorsements, see attached details for more info",
                        details);
            }
            return prepare(request, endorsed);
        }
        Set<String> failed = new java.util.HashSet<>();
        ProposalResponse first = firstEndorsement(request, signed, endorsed, failed, details);
        ParsedTransaction planned = plannedTransaction(request, first);
        GatewayChannel channel = request.channel();
        List<String> candidates = preferenceOrder(channel);
        while (true) {
            Optional<SequencedSet<String>> plan = EndorsementPlanner.plan(candidates, endorsed.keySet(), failed,
                    orgs -> channel.requirement().unsatisfied(planned, Signers.peersOf(orgs, channel.registry()),
                            channel.committed()).isEmpty());
            if (plan.isEmpty()) {
                String why = channel.requirement().unsatisfied(planned,
                        Signers.peersOf(withoutFailed(candidates, failed), channel.registry()), channel.committed())
                        .orElse("the organisations that can endorse do not satisfy it");
                details.add(GatewayException.detail("", "", "endorsement policy: " + why));
                throw new GatewayException(Status.Code.ABORTED,
                        "failed to collect enough transaction endorsements, see attached details for more info",
                        details);
            }
            List<String> missing = plan.get().stream().filter(org -> !endorsed.containsKey(org)).toList();
            if (missing.isEmpty()) {
                return prepare(request, endorsed);
            }
            int before = endorsed.size();
            collect(request, signed, missing, first.getPayload(), endorsed, details);
            for (String org : missing) {
                if (!endorsed.containsKey(org)) {
                    failed.add(org);
                }
            }
            if (endorsed.size() == before && details.stream().anyMatch(d -> d.getMessage().startsWith(CHAINCODE))) {
                throw new GatewayException(Status.Code.ABORTED,
                        "failed to collect enough transaction endorsements, see attached details for more info",
                        details);
            }
        }
    }

    /**
     * Admits the client-signed transaction for ordering (Fabric's {@code Submit}). It is ordered and validated
     * later; {@link #commitStatus} tells the outcome.
     */
    public void submit(String channelId, Envelope transaction) throws GatewayException {
        if (transaction.getSignature().isEmpty()) {
            throw new GatewayException(Status.Code.INVALID_ARGUMENT, "prepared transaction must be signed");
        }
        GatewayChannel channel = channel(channelId);
        Optional<GatewayChannel.Refusal> refusal = channel.submit(transaction);
        if (refusal.isPresent()) {
            String message = "received unsuccessful response from orderer: status=" + refusal.get().status()
                    + ", info=" + refusal.get().info();
            int status = refusal.get().status().getNumber();
            throw new GatewayException(status >= 400 && status < 500 ? Status.Code.ABORTED : Status.Code.UNAVAILABLE,
                    message, List.of(GatewayException.detail("local", localMspId, message)));
        }
    }

    /**
     * Checks that {@code identity} signed {@code request} and satisfies the channel's Readers policy (Fabric's ACL
     * for CommitStatus and ChaincodeEvents).
     */
    public void checkReader(String channelId, ByteString request, ByteString identity, ByteString signature)
            throws GatewayException {
        GatewayChannel channel = channel(channelId);
        var verdict = channel.policies().evaluateSignedData(READERS_POLICY,
                List.of(new SignedData(request, identity, signature)), clock.get());
        if (!verdict.satisfied()) {
            throw new GatewayException(Status.Code.PERMISSION_DENIED, "failed evaluating policy on signed data: "
                    + verdict.reason());
        }
    }

    /** Where a committed transaction is and its code. */
    public record CommitStatus(TxValidationCode code, long blockNumber) {}

    /**
     * The transaction's validation code once it is committed on this node (Fabric's {@code CommitStatus}): at once
     * if it is, else when it commits.
     *
     * @throws GatewayException DEADLINE_EXCEEDED when it has not committed within {@code timeoutMillis}
     */
    public CommitStatus commitStatus(String channelId, String txId, long timeoutMillis) throws GatewayException {
        GatewayChannel channel = channel(channelId);
        long timeout = Math.min(timeoutMillis, settings.commitStatusTimeoutMillis());
        try {
            return commits.await(channel, txId, timeout).orElseThrow(() -> new GatewayException(
                    Status.Code.DEADLINE_EXCEEDED, "transaction " + txId + " not committed on channel " + channelId
                    + " within " + timeout + " ms; ask again"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(Status.Code.CANCELLED, "interrupted while waiting for " + txId);
        } catch (CommitWaiters.TooManyWaitersException e) {
            throw new GatewayException(Status.Code.RESOURCE_EXHAUSTED, e.getMessage());
        }
    }

    /** The hosted channel, or NOT_FOUND. */
    public GatewayChannel channel(String channelId) throws GatewayException {
        return network.channel(channelId).orElseThrow(() -> new GatewayException(Status.Code.NOT_FOUND,
                "channel '" + channelId + "' not found on this node"));
    }

    public NodeConfig.GatewaySettings settings() {
        return settings;
    }

    // --- endorsement ---

    private static final String CHAINCODE = "chaincode response ";

    /** A decoded proposal and its channel. */
    private record Request(Proposals.Unpacked proposal, GatewayChannel channel) {}

    private Request request(SignedProposal signed) throws GatewayException {
        if (signed.getProposalBytes().isEmpty()) {
            throw new GatewayException(Status.Code.INVALID_ARGUMENT,
                    "the proposed transaction must contain a signed proposal");
        }
        Proposals.Unpacked unpacked;
        try {
            unpacked = Proposals.unpack(Proposal.parseFrom(signed.getProposalBytes()));
        } catch (InvalidProtocolBufferException | MalformedTransactionException e) {
            throw new GatewayException(Status.Code.INVALID_ARGUMENT, "failed to unpack transaction proposal: "
                    + e.getMessage());
        }
        return new Request(unpacked, channel(unpacked.channelId()));
    }

    /** This organisation first, then the channel's others in order. */
    private List<String> preferenceOrder(GatewayChannel channel) {
        List<String> order = new ArrayList<>();
        if (channel.orgs().contains(localMspId)) {
            order.add(localMspId);
        }
        channel.orgs().stream().filter(org -> !org.equals(localMspId)).forEach(order::add);
        return order;
    }

    private static List<String> withoutFailed(List<String> orgs, Set<String> failed) {
        return orgs.stream().filter(org -> !failed.contains(org)).toList();
    }

    /**
     * One endorser's answer classified as Fabric's gateway does ({@code responseStatus}): a response with status
     * below 400 is success; 500 without payload is the peer's own failure (try another); any other error status
     * is the chaincode's (final); no answer is a refusal (final) or unavailability (try another).
     */
    private record Outcome(ProposalResponse response, Status.Code code, ErrorDetail detail, boolean retry) {}

    private Outcome call(OrgEndorser endorser, SignedProposal signed) {
        ProposalResponse response;
        try {
            response = endorser.process(signed, settings.endorsementTimeoutMillis());
        } catch (OrgEndorser.Failure e) {
            ErrorDetail detail = GatewayException.detail(endorser.address(), endorser.mspId(), e.getMessage());
            return e.refused() ? new Outcome(null, Status.Code.FAILED_PRECONDITION, detail, false)
                    : new Outcome(null, Status.Code.UNAVAILABLE, detail, true);
        }
        int status = response.getResponse().getStatus();
        if (status >= 200 && status < 400) {
            return new Outcome(response, Status.Code.OK, null, false);
        }
        if (response.getPayload().isEmpty() && status == 500) {
            return new Outcome(null, Status.Code.ABORTED, GatewayException.detail(endorser.address(),
                    endorser.mspId(), response.getResponse().getMessage()), true);
        }
        return new Outcome(null, Status.Code.UNKNOWN, GatewayException.detail(endorser.address(), endorser.mspId(),
                CHAINCODE + status + ", " + response.getResponse().getMessage()), false);
    }

    /** Retries of an endorser whose answer differs from the first endorsement's, and the first pause between them. */
    static final int STALE_RETRIES_MAX = 5;
    static final long STALE_RETRY_PAUSE_MILLIS = 20;

    private Outcome callExpecting(OrgEndorser endorser, SignedProposal signed, ByteString expectedPayload)
            throws InterruptedException {
        Outcome outcome = call(endorser, signed);
        long pauseMillis = STALE_RETRY_PAUSE_MILLIS;
        for (int retry = 0; expectedPayload != null && retry < STALE_RETRIES_MAX && differs(outcome, expectedPayload);
                retry++) {
            Thread.sleep(pauseMillis);
            pauseMillis *= 2;
            outcome = call(endorser, signed);
        }
        return outcome;
    }

    private static boolean differs(Outcome outcome, ByteString expectedPayload) {
        return outcome.response() != null ? !outcome.response().getPayload().equals(expectedPayload)
                : outcome.code() == Status.Code.UNKNOWN;
    }

    /** The first endorsement: this organisation's if it can, else the next organisation's that can. */
    private ProposalResponse firstEndorsement(Request request, SignedProposal signed,
            Map<String, ProposalResponse> endorsed, Set<String> failed, List<ErrorDetail> details)
            throws GatewayException {
        for (String mspId : preferenceOrder(request.channel())) {
            Optional<OrgEndorser> endorser = network.endorser(request.channel().channelId(), mspId);
            if (endorser.isEmpty()) {
                failed.add(mspId);
                continue;
            }
            Outcome outcome = call(endorser.get(), signed);
            if (outcome.response() != null) {
                endorsed.put(mspId, outcome.response());
                return outcome.response();
            }
            details.add(outcome.detail());
            failed.add(mspId);
            if (!outcome.retry()) {
                break; // a chaincode error or a refusal: another organisation would answer the same
            }
        }
        // Fabric's gateway answers ABORTED here whatever the endorser's failure, with the details attached.
        throw new GatewayException(Status.Code.ABORTED, "failed to endorse transaction, see attached details for "
                + "more info", details);
    }

    /** The transaction the first endorsement would make, parsed, to learn which policies its writes need. */
    private static ParsedTransaction plannedTransaction(Request request, ProposalResponse first)
            throws GatewayException {
        try {
            return org.banyan.protocol.TransactionParser.parse(Proposals.prepare(request.proposal().proposal(), List.of(first)));
        } catch (MalformedTransactionException | IllegalArgumentException e) {
            throw new GatewayException(Status.Code.ABORTED, "the endorsement does not form a transaction: "
                    + e.getMessage());
        }
    }

    /**
     * Asks each of {@code orgs} in parallel; successes go to {@code endorsed}, failures to {@code details}.
     *
     * @param expectedPayload the first endorsement's response payload, or null: an endorser whose answer differs
     *     from it (another result, or a chaincode error) is asked again a few times, briefly apart, because a node
     *     that has not yet committed the block the first endorser had committed simulates on older state — the
     *     client that just committed a transaction through one organisation and builds on it through another would
     *     otherwise fail for a few milliseconds of commit lag
     */
    private void collect(Request request, SignedProposal signed, List<String> orgs, ByteString expectedPayload,
            Map<String, ProposalResponse> endorsed, List<ErrorDetail> details) throws GatewayException {
        Map<String, Future<Outcome>> calls = new LinkedHashMap<>();
        for (String mspId : orgs) {
            Optional<OrgEndorser> endorser = network.endorser(request.channel().channelId(), mspId);
            if (endorser.isEmpty()) {
                details.add(GatewayException.detail("", mspId, "no endorser of " + mspId + " is known on channel "
                        + request.channel().channelId()));
                continue;
            }
            calls.put(mspId, endorsements.submit(() -> callExpecting(endorser.get(), signed, expectedPayload)));
        }
        for (Map.Entry<String, Future<Outcome>> call : calls.entrySet()) {
            Outcome outcome;
            try {
                outcome = call.getValue().get();
            } catch (InterruptedException e) {
                calls.values().forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new GatewayException(Status.Code.CANCELLED, "interrupted while collecting endorsements");
            } catch (ExecutionException e) {
                throw new IllegalStateException("endorsement call failed unexpectedly", e.getCause());
            }
            if (outcome.response() != null) {
                endorsed.put(call.getKey(), outcome.response());
            } else {
                details.add(outcome.detail());
            }
        }
    }

    private static Envelope prepare(Request request, Map<String, ProposalResponse> endorsed)
            throws GatewayException {
        try {
            return Proposals.prepare(request.proposal().proposal(), List.copyOf(endorsed.values()));
        } catch (IllegalArgumentException | MalformedTransactionException e) {
            List<ErrorDetail> details = new ArrayList<>();
            endorsed.forEach((org, response) -> details.add(GatewayException.detail("", org,
                    "response payload " + Integer.toHexString(response.getPayload().hashCode()))));
            throw new GatewayException(Status.Code.ABORTED, "failed to assemble transaction: " + e.getMessage(),
                    details);
        }
    }

    /** Fabric prefers the chaincode action's response to the proposal response's (the result the SDKs read). */
    private static Response resultOf(ProposalResponse response) {
        try {
            ChaincodeAction action = ChaincodeAction.parseFrom(
                    ProposalResponsePayload.parseFrom(response.getPayload()).getExtension());
            if (action.hasResponse()) {
                return response.getResponse().toBuilder().setPayload(action.getResponse().getPayload()).build();
            }
        } catch (InvalidProtocolBufferException e) {
            // Keep the response's own payload.
        }
        return response.getResponse();
    }

    /** Adapts a per-channel function for tests and the node. */
    public static Network network(Function<String, Optional<GatewayChannel>> channels,
            java.util.function.BiFunction<String, String, Optional<OrgEndorser>> endorsers) {
        return new Network() {
            @Override
            public Optional<GatewayChannel> channel(String channelId) {
                return channels.apply(channelId);
            }

            @Override
            public Optional<OrgEndorser> endorser(String channelId, String mspId) {
                return endorsers.apply(channelId, mspId);
            }
        };
    }

    @Override
    public void close() {
        endorsements.shutdownNow();
    }
}
