package org.banyan.node.ordering;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.banyan.consensus.Payload;
import org.banyan.crypto.SigningIdentity;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.protocol.MalformedTransactionException;
import org.banyan.protocol.TransactionParser;
import org.banyan.protocol.config.ChannelConfig;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.common.Envelope;

/** A two-organisation channel from generated crypto (made once per JVM) and signed endorser envelopes for it. */
final class EnvelopeFixture {
    static final String CHANNEL = "orderchannel";
    static final EnvelopeFixture INSTANCE = new EnvelopeFixture(GeneratedChannel.create(CHANNEL, 2, 0, 1));

    final ChannelConfig config;
    final LocalSigningIdentity client1;
    final LocalSigningIdentity client2;
    final LocalSigningIdentity peer1;
    /** Issued by a CA no channel MSP knows, under an MSP id outside the channel. */
    final LocalSigningIdentity outsider = LocalSigningIdentity.ephemeral("Org9MSP", "client", "User1@org9.example.com",
            KeyType.ECDSA_P256, Instant.parse("2024-01-01T00:00:00Z"));

    private EnvelopeFixture(GeneratedChannel channel) {
        this.config = channel.config();
        this.client1 = channel.user(1, 1);
        this.client2 = channel.user(2, 1);
        this.peer1 = channel.peer(1);
    }

    /** A signed endorser transaction writing {@code value-<i>}; see {@link GeneratedChannel#endorserEnvelope}. */
    static Envelope envelope(SigningIdentity creator, String channel, int i) {
        return GeneratedChannel.endorserEnvelope(creator, channel, i);
    }

    /** The payload consensus would carry: the envelope's tx id and bytes. */
    static Payload payload(Envelope envelope) {
        return new Payload(txId(envelope), envelope.toByteArray());
    }

    static String txId(Envelope envelope) {
        try {
            return TransactionParser.parse(envelope).txId();
        } catch (MalformedTransactionException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The same envelope with one byte of the written value changed inside the signed payload: it still parses
     * and keeps its tx id, but the creator's signature no longer covers it.
     */
    static Payload tampered(Envelope envelope) {
        byte[] payload = envelope.getPayload().toByteArray();
        byte[] marker = "value-".getBytes(StandardCharsets.US_ASCII);
        payload[indexOf(payload, marker)] ^= 0x20;
        Envelope changed = envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build();
        return new Payload(txId(envelope), changed.toByteArray());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }
}
