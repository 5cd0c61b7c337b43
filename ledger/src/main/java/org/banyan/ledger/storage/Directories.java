package org.banyan.ledger.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Directories whose entries survive a power loss. POSIX makes a new file or directory name durable only when
 * its parent directory is fsynced, so a block reported durable in a freshly created channel directory could
 * otherwise vanish with its directory.
 */
public final class Directories {
    /** Bounds the walk up to an existing ancestor; no ledger path is deeper. */
    private static final int DEPTH_MAX = 256;

    private Directories() {}

    /**
     * Creates {@code dir} and any missing parents, then fsyncs the parent of every directory it created
     * (top-down) and {@code dir}'s parent in any case, so that {@code dir}'s path is durable when this returns.
     */
    public static void createDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            if (missing.size() == DEPTH_MAX) {
                throw new IOException("more than " + DEPTH_MAX + " missing directories above " + dir);
            }
            missing.push(p);
        }
        Files.createDirectories(absolute);
        boolean parentSynced = false;
        for (Path created : missing) {
            Path parent = created.getParent();
            if (parent != null) {
                sync(parent);
                parentSynced = parentSynced || parent.equals(absolute.getParent());
            }
        }
        if (!parentSynced && absolute.getParent() != null) {
            // dir existed, possibly created by someone who did not sync it (cheap: once per open).
            sync(absolute.getParent());
        }
    }

    /** fsync of a directory: its entries (new, renamed and deleted names) reach the disk. */
    public static void sync(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
