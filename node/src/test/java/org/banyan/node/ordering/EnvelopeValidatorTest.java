package org.banyan.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.node.ordering.EnvelopeFixture.CHANNEL;
import static org.banyan.node.ordering.EnvelopeFixture.envelope;
import static org.banyan.node.ordering.EnvelopeFixture.payload;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.consensus.Payload;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.protocol.policy.PolicyEvaluator;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.Test;

class EnvelopeValidatorTest {
    private static final EnvelopeFixture F = EnvelopeFixture.INSTANCE;
    private static final Instant NOW = Instant.now().plus(Duration.ofDays(1));

    private final AtomicReference<Instant> clock = new AtomicReference<>(NOW);
    private final Set<String> ledger = new HashSet<>();

    private EnvelopeValidator validator() {
        return validator(ValidatorLimits.defaults(F.config));
    }

    private EnvelopeValidator validator(ValidatorLimits limits) {
        MspRegistry registry = MspRegistry.of(F.config.msps().values());
        return new EnvelopeValidator(F.config, registry, PolicyEvaluator.of(F.config, registry), limits, clock::get,
                ledger::contains);
    }

    private static void assertRejected(EnvelopeValidator validator, Payload payload, EnvelopeVerdict verdict,
                                       String detail) {
        EnvelopeCheck check = validator.check(payload);
        assertThat(check.verdict()).as(check.detail()).isEqualTo(verdict);
        assertThat(check.detail()).contains(detail);
        assertThat(validator.isValid(payload)).isFalse();
        assertThat(validator.counters().count(verdict)).isEqualTo(verdict == EnvelopeVerdict.ALREADY_ORDERED ? 2 : 1);
    }

    @Test
    void aSignedEndorserEnvelopeOfAWriterIsValid() {
        EnvelopeValidator validator = validator();
        assertThat(validator.isValid(payload(envelope(F.client1, CHANNEL, 1)))).isTrue();
        assertThat(validator.check(payload(envelope(F.client2, CHANNEL, 2)))).isEqualTo(EnvelopeCheck.VALID);
        assertThat(validator.counters().count(EnvelopeVerdict.VALID)).isEqualTo(2);
    }

    @Test
    void aTamperedPayloadHasABadSignature() {
        assertRejected(validator(), EnvelopeFixture.tampered(envelope(F.client1, CHANNEL, 3)),
                EnvelopeVerdict.BAD_SIGNATURE, "signature does not verify for Org1MSP");
    }

    @Test
    void anotherChannelIsRefused() {
        assertRejected(validator(), payload(envelope(F.client1, "otherchannel", 4)), EnvelopeVerdict.WRONG_CHANNEL,
                "channel 'otherchannel', not 'orderchannel'");
    }

    @Test
    void thePayloadIdMustBeTheTxId() {
        Envelope envelope = envelope(F.client1, CHANNEL, 5);
        Payload renamed = new Payload("f".repeat(64), envelope.toByteArray());
        assertRejected(validator(), renamed, EnvelopeVerdict.TX_ID_MISMATCH, "payload id ffff");
    }

    @Test
    void theTxIdMustDeriveFromNonceAndCreator() throws Exception {
        // A header whose tx id is not SHA-256(nonce ‖ creator), correctly signed by a writer.
        Envelope original = envelope(F.client1, CHANNEL, 6);
        org.hyperledger.fabric.protos.common.Payload payload =
                org.hyperledger.fabric.protos.common.Payload.parseFrom(original.getPayload());
        ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).toBuilder()
                .setTxId("a".repeat(64)).build();
        byte[] changed = payload.toBuilder().setHeader(payload.getHeader().toBuilder()
                .setChannelHeader(header.toByteString())).build().toByteArray();
        Envelope resigned = Envelope.newBuilder().setPayload(ByteString.copyFrom(changed))
                .setSignature(ByteString.copyFrom(F.client1.sign(changed))).build();
        assertRejected(validator(), new Payload("a".repeat(64), resigned.toByteArray()), EnvelopeVerdict.TX_ID_MISMATCH,
                "is not SHA-256(nonce ‖ creator)");
    }

    @Test
    void aCreatorOfAnUnknownMspIsInvalid() {
        assertRejected(validator(), payload(envelope(F.outsider, CHANNEL, 7)), EnvelopeVerdict.CREATOR_INVALID,
                "UNKNOWN_MSP");
    }

    @Test
    void aPeerIsNoWriter() {
        assertRejected(validator(), payload(envelope(F.peer1, CHANNEL, 8)), EnvelopeVerdict.CREATOR_NOT_WRITER,
                "/Channel/Writers: ANY Writers");
    }

    @Test
    void anExpiredCreatorIsInvalid() {
        clock.set(NOW.plus(Duration.ofDays(4000)));
        assertRejected(validator(), payload(envelope(F.client1, CHANNEL, 9)), EnvelopeVerdict.CREATOR_INVALID, "EXPIRED");
    }

    @Test
    void anOversizedPayloadIsRefusedBeforeParsing() {
        Payload payload = payload(envelope(F.client1, CHANNEL, 10));
        assertRejected(validator(new ValidatorLimits(payload.sizeBytes() - 1, 10)), payload, EnvelopeVerdict.TOO_LARGE,
                "> payloadBytesMax");
        assertThat(validator(new ValidatorLimits(payload.sizeBytes(), 10)).isValid(payload)).isTrue();
    }

    @Test
    void malformedBytesAreRefused() {
        assertRejected(validator(), new Payload("tx", new byte[] {(byte) 0xff, 1, 2}), EnvelopeVerdict.MALFORMED,
                "not an envelope");
        Envelope noHeader = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("junk")).build();
        EnvelopeValidator validator = validator();
        assertThat(validator.check(new Payload("tx", noHeader.toByteArray())).verdict()).isEqualTo(EnvelopeVerdict.MALFORMED);
    }

    @Test
    void configEnvelopesAreNotSupportedYet() {
        ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.CONFIG_UPDATE_VALUE).setChannelId(CHANNEL)
                .setTxId("c".repeat(64)).build();
        org.hyperledger.fabric.protos.common.Payload payload = org.hyperledger.fabric.protos.common.Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString())
                        .setSignatureHeader(SignatureHeader.getDefaultInstance().toByteString())).build();
        Envelope envelope = Envelope.newBuilder().setPayload(payload.toByteString()).build();
        assertRejected(validator(), new Payload("c".repeat(64), envelope.toByteArray()), EnvelopeVerdict.UNSUPPORTED_TYPE,
                "CONFIG updates are not supported yet");
    }

    @Test
    void anOrderedTxIsRefusedOnEveryCallButNotCachedAsSuch() {
        EnvelopeValidator validator = validator();
        Payload payload = payload(envelope(F.client1, CHANNEL, 11));
        assertThat(validator.isValid(payload)).isTrue();
        ledger.add(payload.payloadId());
        assertRejected(validator, payload, EnvelopeVerdict.ALREADY_ORDERED, "is on the ledger");
        ledger.clear();
        assertThat(validator.isValid(payload)).isTrue();
        assertThat(validator.counters().checksRun()).isEqualTo(1);
    }

    @Test
    void aVerdictIsComputedOnceAndDoesNotFlipWhileCached() {
        EnvelopeValidator validator = validator();
        Payload valid = payload(envelope(F.client1, CHANNEL, 12));
        Payload forged = EnvelopeFixture.tampered(envelope(F.client1, CHANNEL, 13));
        assertThat(validator.isValid(valid)).isTrue();
        assertThat(validator.isValid(forged)).isFalse();
        clock.set(NOW.plus(Duration.ofDays(4000)));
        for (int i = 0; i < 3; i++) {
            assertThat(validator.isValid(valid)).isTrue();
            assertThat(validator.isValid(forged)).isFalse();
        }
        assertThat(validator.counters().checksRun()).isEqualTo(2);
        assertThat(validator.counters().cacheHits()).isEqualTo(6);
        assertThat(validator.counters().count(EnvelopeVerdict.BAD_SIGNATURE)).isEqualTo(1);
    }

    @Test
    void theCacheIsBoundedAndForgetsTheLeastRecentlyUsed() {
        EnvelopeValidator validator = validator(new ValidatorLimits(1 << 20, 2));
        Payload a = payload(envelope(F.client1, CHANNEL, 14));
        Payload b = payload(envelope(F.client1, CHANNEL, 15));
        Payload c = payload(envelope(F.client1, CHANNEL, 16));
        validator.isValid(a);
        validator.isValid(b);
        validator.isValid(a);
        validator.isValid(c);
        assertThat(validator.cachedVerdicts()).isEqualTo(2);
        validator.isValid(a);
        assertThat(validator.counters().checksRun()).as("a stayed, b was evicted").isEqualTo(3);
        validator.isValid(b);
        assertThat(validator.counters().checksRun()).isEqualTo(4);
    }

    @Test
    void prevalidationChecksEachDistinctPayloadOnceAndTheEventLoopOnlyHitsTheCache() {
        EnvelopeValidator validator = validator();
        Payload repeated = payload(envelope(F.client1, CHANNEL, 17));
        List<Payload> proposal = List.of(repeated, payload(envelope(F.client2, CHANNEL, 18)),
                EnvelopeFixture.tampered(envelope(F.client2, CHANNEL, 19)), repeated);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            validator.prevalidate(proposal, pool);
            validator.prevalidate(proposal, pool);
        }
        assertThat(validator.counters().checksRun()).isEqualTo(3);
        assertThat(proposal).extracting(validator::isValid).containsExactly(true, true, false, true);
        assertThat(validator.counters().checksRun()).isEqualTo(3);
        assertThat(validator.counters().cacheHits()).isEqualTo(4);
    }

    @Test
    void theFactoryUsesTheChannelsSizeLimit() {
        EnvelopeValidator validator = EnvelopeValidator.of(F.config, () -> NOW, txId -> false);
        assertThat(validator.isValid(payload(envelope(F.client2, CHANNEL, 20)))).isTrue();
        byte[] huge = new byte[F.config.batch().absoluteMaxBytes() + 1];
        assertThat(validator.check(new Payload("big", huge)).verdict()).isEqualTo(EnvelopeVerdict.TOO_LARGE);
    }
}
