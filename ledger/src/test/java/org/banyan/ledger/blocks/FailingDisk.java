package org.banyan.ledger.blocks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A disk that runs out of space part-way through one write, on request. Single-threaded use. */
public final class FailingDisk {
    /** When not negative, the next write stores this many bytes and then fails with "No space left on device". */
    public int failNextWriteAfterBytes = -1;

    /** An {@link AppendFile.Opener} over the real file system with the fault above. */
    public AppendFile open(Path file) throws IOException {
        AppendFile real = AppendFile.open(file);
        return new AppendFile() {
            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void write(ByteBuffer bytes, long position) throws IOException {
                if (failNextWriteAfterBytes >= 0) {
                    int limit = bytes.limit();
                    bytes.limit(bytes.position() + failNextWriteAfterBytes);
                    real.write(bytes, position);
                    bytes.limit(limit);
                    failNextWriteAfterBytes = -1;
                    throw new IOException("No space left on device");
                }
                real.write(bytes, position);
            }

            @Override
            public void force() throws IOException {
                real.force();
            }

            @Override
            public void truncate(long sizeBytes) throws IOException {
                real.truncate(sizeBytes);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }
}
