package org.banyan.ledger.blocks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file operations the block store's writer needs. An interface so that tests can put a failing disk
 * (for example one that runs out of space mid-record) under the real store.
 */
public interface AppendFile extends AutoCloseable {
    /** Current file size in bytes. */
    long size() throws IOException;

    /** Writes all of {@code bytes} at {@code position}. */
    void write(ByteBuffer bytes, long position) throws IOException;

    /** Makes written bytes and the file size durable (fdatasync). */
    void force() throws IOException;

    /** Cuts the file back to {@code sizeBytes} (not yet durable: call {@link #force()}). */
    void truncate(long sizeBytes) throws IOException;

    @Override
    void close() throws IOException;

    /** Opens a segment file for appending. */
    @FunctionalInterface
    interface Opener {
        AppendFile open(Path file) throws IOException;
    }

    /** The real file system. */
    static AppendFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new AppendFile() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public void write(ByteBuffer bytes, long position) throws IOException {
                long at = position;
                while (bytes.hasRemaining()) {
                    at += channel.write(bytes, at);
                }
            }

            @Override
            public void force() throws IOException {
                // force(false) is fdatasync on Linux: it also flushes the file size, which appends change.
                channel.force(false);
            }

            @Override
            public void truncate(long sizeBytes) throws IOException {
                channel.truncate(sizeBytes);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
