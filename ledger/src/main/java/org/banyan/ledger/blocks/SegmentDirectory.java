package org.banyan.ledger.blocks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.banyan.ledger.storage.Directories;

/** The segment files of one block store directory. */
public final class SegmentDirectory {
    private SegmentDirectory() {}

    /**
     * The segment numbers present, ascending; they must run 0, 1, 2, ... without gaps, because a missing
     * segment means missing blocks.
     *
     * @throws BlockStoreCorruptedException naming the first missing segment file (block -1, offset -1)
     */
    public static List<Integer> list(Path directory) throws IOException {
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> SegmentFormat.parseFileName(file.getFileName().toString()).ifPresent(numbers::add));
        }
        numbers.sort(null);
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) != i) {
                throw new BlockStoreCorruptedException(-1, SegmentFormat.fileName(i), -1,
                        "segment file missing (found " + SegmentFormat.fileName(numbers.get(i)) + " instead)");
            }
        }
        return numbers;
    }

    static Path path(Path directory, int segment) {
        return directory.resolve(SegmentFormat.fileName(segment));
    }

    /**
     * Creates segment {@code number} holding only the header, durable together with its directory entry.
     * Returns the open file positioned for appending.
     */
    static AppendFile create(Path directory, int number, AppendFile.Opener opener) throws IOException {
        Path file = path(directory, number);
        AppendFile append = opener.open(file);
        try {
            append.truncate(0);
            append.write(SegmentFormat.header(), 0);
            append.force();
            syncDirectory(directory);
            return append;
        } catch (IOException e) {
            append.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** fsync of the directory, so a new file's name survives a crash (POSIX does not promise it otherwise). */
    static void syncDirectory(Path directory) throws IOException {
        Directories.sync(directory);
    }

    /** Reads one framed record at a known location and checks its frame and checksum; empty when it does not match. */
    static Optional<byte[]> readRecord(FileChannel channel, BlockLocation location) throws IOException {
        int total = SegmentFormat.FRAME_BYTES + location.payloadBytes();
        if (location.offset() + total > channel.size()) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, location.offset() + buffer.position()) < 0) {
                return Optional.empty();
            }
        }
        byte[] bytes = buffer.array();
        int length = buffer.getInt(0);
        int crc = buffer.getInt(4);
        if (length != location.payloadBytes()
                || SegmentFormat.crc32c(bytes, SegmentFormat.FRAME_BYTES, length) != crc) {
            return Optional.empty();
        }
        byte[] payload = new byte[length];
        System.arraycopy(bytes, SegmentFormat.FRAME_BYTES, payload, 0, length);
        return Optional.of(payload);
    }
}
