package org.banyan.node.chaincode.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chaincode process's log: what it writes to stdout and stderr, and the node's lines about it (starts, exits,
 * restarts), prefixed {@code [banyan <instant>]}. Appends to {@code file}; once it would pass {@code bytesMax} it
 * becomes {@code file.1} (replacing the older one) and a new file starts, so the log holds at most
 * 2 × {@code bytesMax} bytes. A disk error loses the bytes being written (counted), never blocks the process.
 * Thread-safe.
 */
final class RotatingLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RotatingLog.class.getName());

    private final Path file;
    private final long bytesMax;
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private long bytes;
    private long bytesLost;
    private boolean closed;

    RotatingLog(Path file, long bytesMax) {
        this.file = file;
        this.bytesMax = bytesMax;
    }

    Path file() {
        return file;
    }

    /** Bytes dropped because the disk refused them. */
    long bytesLost() {
        lock.lock();
        try {
            return bytesLost;
        } finally {
            lock.unlock();
        }
    }

    /** Appends one line from the node. */
    void line(String text) {
        byte[] bytes = ("[banyan " + Instant.now() + "] " + text + "\n").getBytes(StandardCharsets.UTF_8);
        write(bytes, 0, bytes.length);
    }

    /** Appends the process's output. */
    void write(byte[] buffer, int offset, int length) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (out == null) {
                open();
            }
            if (bytes > 0 && bytes + length > bytesMax) {
                closeQuietly();
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
                open();
            }
            out.write(buffer, offset, length);
            out.flush();
            bytes += length;
        } catch (IOException e) {
            if (bytesLost == 0) {
                LOG.log(System.Logger.Level.WARNING, "cannot write chaincode log " + file + "; dropping output", e);
            }
            bytesLost += length;
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        bytes = Files.size(file);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // already reported or harmless: the next write reopens
            }
            out = null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }
}
