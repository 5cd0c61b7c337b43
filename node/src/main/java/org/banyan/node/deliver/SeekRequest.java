package org.banyan.node.deliver;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.banyan.protocol.policy.SignedData;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * A checked Deliver request: Fabric's signed {@code DELIVER_SEEK_INFO} envelope whose creator satisfies the channel's
 * readers policy, resolved against the ledger height at the time of the request.
 *
 * @param firstNumber the first block to send
 * @param lastNumber the last block to send ({@link Long#MAX_VALUE}: keep streaming new blocks)
 */
public record SeekRequest(String channelId, long firstNumber, long lastNumber, SeekInfo.SeekBehavior behavior,
        SeekInfo.SeekContentType contentType) {
    /** Fabric's default tolerance between a request's timestamp and the server's clock. */
    public static final Duration TIME_WINDOW = Duration.ofMinutes(15);

    /** What a channel offers to Deliver: its policies and its current height. */
    public interface ChannelView {
        PolicyEvaluator policies();

        long height();
    }

    /** A refusal with Fabric's status and why. */
    public record Refusal(Status status, String reason) {}

    /** Either a request or a refusal. */
    public record Checked(SeekRequest request, Refusal refusal) {
        static Checked refused(Status status, String reason) {
            return new Checked(null, new Refusal(status, reason));
        }
    }

    /**
     * Checks and resolves a request envelope.
     *
     * @param readersPolicy {@code /Channel/Application/Readers} for a peer's Deliver, {@code /Channel/Readers} for
     *     the orderer's
     * @param now the server's clock, passed in
     */
    public static Checked check(Envelope envelope, Function<String, Optional<ChannelView>> channels,
            String readersPolicy, Instant now) {
        Payload payload;
        ChannelHeader header;
        SignatureHeader signatureHeader;
        SeekInfo seek;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
            header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            seek = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            return Checked.refused(Status.BAD_REQUEST, "malformed deliver request: " + e.getMessage());
        }
        if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
            return Checked.refused(Status.BAD_REQUEST, "header type " + header.getType() + ", expected DELIVER_SEEK_INFO");
        }
        Optional<ChannelView> channel = channels.apply(header.getChannelId());
        if (channel.isEmpty()) {
            return Checked.refused(Status.NOT_FOUND, "channel '" + header.getChannelId() + "' is not hosted here");
        }
        Instant sent = Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
        if (Duration.between(sent, now).abs().compareTo(TIME_WINDOW) > 0) {
            return Checked.refused(Status.FORBIDDEN, "request timestamp " + sent + " is more than " + TIME_WINDOW
                    + " from the server's time " + now);
        }
        PolicyVerdict verdict = channel.get().policies().evaluateSignedData(readersPolicy, List.of(new SignedData(
                envelope.getPayload(), signatureHeader.getCreator(), envelope.getSignature())), now);
        if (!verdict.satisfied()) {
            return Checked.refused(Status.FORBIDDEN, "access denied: " + verdict.reason());
        }
        long height = channel.get().height();
        long first = position(seek.getStart(), height);
        long last = position(seek.getStop(), height);
        if (first < 0 || last < 0) {
            return Checked.refused(Status.BAD_REQUEST, "seek start and stop must both be set");
        }
        if (first > last) {
            return Checked.refused(Status.BAD_REQUEST, "start " + first + " is after stop " + last);
        }
        return new Checked(new SeekRequest(header.getChannelId(), first, last, seek.getBehavior(),
                seek.getContentType()), null);
    }

    /** A seek position as a block number: oldest 0, newest the last committed, next-commit the height. */
    private static long position(SeekPosition position, long height) {
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case NEWEST -> Math.max(0, height - 1);
            case SPECIFIED -> position.getSpecified().getNumber() < 0 ? Long.MAX_VALUE
                    : position.getSpecified().getNumber();
            case NEXT_COMMIT -> height;
            case TYPE_NOT_SET -> -1;
        };
    }
}
