package org.banyan.node.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.banyan.crypto.Assert;

/**
 * The envelope of one transport message: the channel it belongs to and opaque consensus bytes.
 *
 * <p>Encoding (big-endian): {@code u8 channelIdLength, channelId (US-ASCII), u32 payloadLength, payload}. Decoding
 * checks every length against the bytes present and the limit, and rejects trailing bytes.
 *
 * @param channelId Fabric channel name, 1..{@value #CHANNEL_ID_BYTES_MAX} ASCII bytes
 * @param payload opaque bytes; the record does not copy them, callers must not mutate them afterwards
 */
public record Frame(String channelId, byte[] payload) {
    /** Fabric channel names are shorter than 250 characters. */
    public static final int CHANNEL_ID_BYTES_MAX = 249;

    /** Envelope overhead at most: length byte, channel ID, payload length. */
    public static final int ENVELOPE_BYTES_MAX = 1 + CHANNEL_ID_BYTES_MAX + 4;

    /** No configuration may raise {@code frameBytesMax} above 1 GiB. */
    public static final int FRAME_BYTES_MAX_LIMIT = 1 << 30;

    public Frame {
        if (channelId.isEmpty() || channelId.length() > CHANNEL_ID_BYTES_MAX
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(channelId)) {
            throw new IllegalArgumentException("channel ID must be 1.." + CHANNEL_ID_BYTES_MAX + " ASCII characters");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload is null");
        }
    }

    /** Encodes; the caller checks the payload limit. */
    public byte[] encode() {
        byte[] id = channelId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(1 + id.length + 4 + payload.length);
        out.put((byte) id.length).put(id).putInt(payload.length).put(payload);
        Assert.that(!out.hasRemaining(), "frame size miscomputed for %s", channelId);
        return out.array();
    }

    /**
     * Decodes one envelope.
     *
     * @throws MalformedFrameException when a length is out of range, the bytes are short or there are trailing bytes
     */
    public static Frame decode(byte[] bytes, int frameBytesMax) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 1) {
            throw new MalformedFrameException("empty frame");
        }
        int idLength = Byte.toUnsignedInt(in.get());
        if (idLength == 0 || idLength > CHANNEL_ID_BYTES_MAX || in.remaining() < idLength + 4) {
            throw new MalformedFrameException("bad channel ID length " + idLength + " in a frame of " + bytes.length + " bytes");
        }
        byte[] id = new byte[idLength];
        in.get(id);
        int payloadLength = in.getInt();
        if (payloadLength < 0 || payloadLength > frameBytesMax) {
            throw new MalformedFrameException("payload of " + Integer.toUnsignedString(payloadLength)
                    + " bytes exceeds frameBytesMax " + frameBytesMax);
        }
        if (in.remaining() != payloadLength) {
            throw new MalformedFrameException("payload length " + payloadLength + " but " + in.remaining() + " bytes follow");
        }
        byte[] payload = Arrays.copyOfRange(bytes, in.position(), bytes.length);
        try {
            return new Frame(new String(id, StandardCharsets.US_ASCII), payload);
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException(e.getMessage());
        }
    }

    /** A frame whose bytes break the envelope rules. */
    public static final class MalformedFrameException extends RuntimeException {
        public MalformedFrameException(String message) {
            super(message);
        }
    }
}
