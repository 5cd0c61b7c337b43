package org.banyan.ledger.blocks;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import org.banyan.crypto.Assert;

/**
 * Reads the records of one segment file in order, trusting nothing: every frame's length is bounded and every
 * payload's CRC32C checked. Used by the block store's recovery and by the ledger verifier, which must not
 * depend on the index. Not thread-safe; one scan per instance.
 *
 * <p>The scanner reports what it finds; whether a bad record is a torn tail (repairable) or corruption is
 * the caller's decision, made from {@link Bad#reachesEndOfFile()} and whether this is the last segment.
 */
public final class SegmentScanner implements AutoCloseable {
    /** What the next position of the file holds. */
    public sealed interface Step permits Good, Bad, End {}

    /** A record whose checksum matches. */
    public record Good(long offset, byte[] payload) implements Step {
        public long endOffset() {
            return offset + SegmentFormat.FRAME_BYTES + payload.length;
        }
    }

    /**
     * A record that cannot be read.
     *
     * @param offset where its frame starts
     * @param problem what is wrong, for messages
     * @param reachesEndOfFile true when the bad bytes have the shape a write cut short by a crash leaves: they
     *     run to the end of the file and nothing readable follows them (a short frame; a short record with no
     *     whole record after it; a zero length followed only by zeros; a checksum mismatch on a record that
     *     ends exactly at the end of the file)
     */
    public record Bad(long offset, String problem, boolean reachesEndOfFile) implements Step {}

    /** The file ends exactly after the previous record. */
    public record End(long offset) implements Step {}

    /** Bytes read at a time when checking that a tail is all zeros. */
    private static final int ZERO_CHECK_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final int recordBytesMax;
    private final long sizeBytes;
    private long position;

    private SegmentScanner(FileChannel channel, int recordBytesMax, long sizeBytes, long position) {
        this.channel = channel;
        this.recordBytesMax = recordBytesMax;
        this.sizeBytes = sizeBytes;
        this.position = position;
    }

    /**
     * Opens a segment for reading from {@code startOffset} (at least {@link SegmentFormat#HEADER_BYTES}). The
     * header is not checked here: see {@link #readHeader}.
     */
    public static SegmentScanner open(Path file, long startOffset, int recordBytesMax) throws IOException {
        Assert.that(startOffset >= SegmentFormat.HEADER_BYTES, "startOffset=%d", startOffset);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new SegmentScanner(channel, recordBytesMax, channel.size(), startOffset);
    }

    /** The segment's header bytes, or fewer when the file is shorter than a header. */
    public static ByteBuffer readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // positional reads until full or end of file
            }
            return header.flip();
        }
    }

    /** File size when the scan started. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Reads the next record; after a {@link Bad} or {@link End} the scan is over. */
    public Step next() {
        long remaining = sizeBytes - position;
        if (remaining == 0) {
            return new End(position);
        }
        if (remaining < SegmentFormat.FRAME_BYTES) {
            return new Bad(position, "short frame: " + remaining + " bytes before end of file", true);
        }
        ByteBuffer frame = read(position, SegmentFormat.FRAME_BYTES).order(ByteOrder.BIG_ENDIAN);
        int length = frame.getInt(0);
        int crc = frame.getInt(4);
        if (length <= 0 || length > recordBytesMax) {
            // A crash can leave a zero-filled tail (the size grew before the data reached the disk), but only
            // when every byte from here on is zero; a zero length with data after it, or a length no append
            // could have written, is damage, not a torn write.
            return new Bad(position, "record length " + Integer.toUnsignedString(length) + " out of range",
                    length == 0 && zerosToEnd(position));
        }
        long end = position + SegmentFormat.FRAME_BYTES + length;
        if (end > sizeBytes) {
            // A record cut short by a crash is the last thing in the file; a damaged length field that points
            // past the end leaves the records after it readable.
            return new Bad(position, "short record: length " + length + " but only "
                    + (remaining - SegmentFormat.FRAME_BYTES) + " bytes before end of file",
                    recordAfter(position).isEmpty());
        }
        byte[] payload = read(position + SegmentFormat.FRAME_BYTES, length).array();
        if (SegmentFormat.crc32c(payload, 0, length) != crc) {
            return new Bad(position, "checksum mismatch", end == sizeBytes);
        }
        Good good = new Good(position, payload);
        position = end;
        return good;
    }

    /** True when every byte from {@code offset} to the end of the file is zero. */
    private boolean zerosToEnd(long offset) {
        long chunks = 0;
        for (long at = offset; at < sizeBytes; at += ZERO_CHECK_BYTES) {
            Assert.that(chunks++ <= sizeBytes / ZERO_CHECK_BYTES, "zero check past the end of %d bytes", sizeBytes);
            ByteBuffer chunk = read(at, (int) Math.min(ZERO_CHECK_BYTES, sizeBytes - at));
            for (int i = 0; i < chunk.limit(); i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The offset of the first whole record (frame in range, payload inside the file, checksum matching) that
     * starts after {@code offset}, or empty. Only called on a bad record, to tell a torn tail from damage in
     * the middle; a random match needs a 32-bit checksum collision.
     */
    OptionalLong recordAfter(long offset) {
        long from = offset + 1;
        if (sizeBytes - from < SegmentFormat.FRAME_BYTES + 1) {
            return OptionalLong.empty();
        }
        MappedByteBuffer tail;
        try {
            tail = channel.map(FileChannel.MapMode.READ_ONLY, from, sizeBytes - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tail.order(ByteOrder.BIG_ENDIAN);
        int limit = tail.limit();
        for (int at = 0; at + SegmentFormat.FRAME_BYTES < limit; at++) {
            int length = tail.getInt(at);
            if (length <= 0 || length > recordBytesMax || (long) at + SegmentFormat.FRAME_BYTES + length > limit) {
                continue;
            }
            CRC32C crc = new CRC32C();
            crc.update(tail.slice(at + SegmentFormat.FRAME_BYTES, length));
            if ((int) crc.getValue() == tail.getInt(at + 4)) {
                return OptionalLong.of(from + at);
            }
        }
        return OptionalLong.empty();
    }

    private ByteBuffer read(long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new EOFException("segment shrank while scanning at offset " + offset);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
