package org.banyan.node.consensus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.banyan.consensus.Block;
import org.banyan.consensus.Digest;
import org.banyan.consensus.Height;
import org.banyan.consensus.SafetyState;
import org.banyan.consensus.codec.CorruptStateException;
import org.banyan.consensus.codec.SafetyStateCodec;

/**
 * One channel's safety-state file: what {@code Actions.persist()} and {@code Actions.saveBlocks()} ask the node to
 * fsync before anything is sent. The whole record ({@link SafetyStateCodec}) is rewritten on every save, atomically:
 * write {@code <file>.tmp}, {@link FileChannel#force force(true)}, atomic rename over {@code <file>}, fsync the
 * directory. A crash leaves either the old or the new record, never a mix.
 *
 * <p>{@link #load()} returns {@link SafetyState#initial()} and no blocks when the file does not exist, and throws
 * {@link CorruptStateException} when it exists but cannot be trusted — it never silently resets (restarting from
 * the initial state could make the replica vote twice in a round).
 *
 * <p>Not thread-safe: owned by the driver's event-loop thread. IO failures surface as {@link UncheckedIOException}
 * (a full disk must stop the replica: it may not send what it could not persist).
 */
public final class SafetyStore {
    private final Path file;
    private final Path tempFile;
    private final SafetyStateCodec codec;
    private final int savedBlocksMax;

    private SafetyState state;
    /** Uncommitted blocks saved so far, by id, in insertion order. */
    private final Map<Digest, Block> blocks = new LinkedHashMap<>();
    private long saves;

    /**
     * @param file the record's path, e.g. {@code <dataDir>/consensus/<channel>.safety}; its directory must exist
     * @param savedBlocksMax most blocks kept in the record (the codec's {@code savedBlocksMax})
     */
    public SafetyStore(Path file, SafetyStateCodec codec, int savedBlocksMax) {
        if (savedBlocksMax < 1) {
            throw new IllegalArgumentException("savedBlocksMax=" + savedBlocksMax);
        }
        this.file = file;
        this.tempFile = file.resolveSibling(file.getFileName() + ".tmp");
        this.codec = codec;
        this.savedBlocksMax = savedBlocksMax;
    }

    /**
     * Reads the record (and remembers it as the base of later saves).
     *
     * @throws CorruptStateException when the file exists but is torn, fails its checksum or does not decode
     * @throws UncheckedIOException when the file cannot be read
     */
    public SafetyStateCodec.Saved load() throws CorruptStateException {
        byte[] record;
        try {
            record = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            state = SafetyState.initial();
            blocks.clear();
            return new SafetyStateCodec.Saved(state, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        SafetyStateCodec.Saved saved;
        try {
            saved = codec.decode(record);
        } catch (CorruptStateException e) {
            throw new CorruptStateException(file + ": " + e.getMessage(), e);
        }
        state = saved.state();
        blocks.clear();
        for (Block block : saved.blocks()) {
            blocks.put(block.id(), block);
        }
        return saved;
    }

    /**
     * Applies one step's outputs and, if anything changed, rewrites the record durably before returning.
     *
     * @param persist the new safety state, or null to keep the current one
     * @param newBlocks blocks the replica now holds (may be empty)
     * @param committedHeight blocks at or below it are dropped from the record
     * @return whether the file was written
     */
    public boolean save(SafetyState persist, List<Block> newBlocks, Height committedHeight) {
        if (state == null) {
            throw new IllegalStateException("save before load");
        }
        if (persist == null && newBlocks.isEmpty()) {
            return false;
        }
        if (persist != null) {
            state = persist;
        }
        for (Block block : newBlocks) {
            blocks.putIfAbsent(block.id(), block);
        }
        blocks.values().removeIf(b -> !b.height().isAfter(committedHeight));
        if (blocks.size() > savedBlocksMax) {
            // Keep the highest blocks: the lowest are the likeliest to be committed or abandoned already.
            List<Block> sorted = new ArrayList<>(blocks.values());
            sorted.sort(Comparator.comparing(Block::height));
            for (Block b : sorted.subList(0, sorted.size() - savedBlocksMax)) {
                blocks.remove(b.id());
            }
        }
        writeAtomically(codec.encode(state, List.copyOf(blocks.values())));
        saves++;
        return true;
    }

    /** The state last loaded or saved. */
    public SafetyState state() {
        return state;
    }

    /** Blocks currently in the record. */
    public int savedBlocks() {
        return blocks.size();
    }

    /** Records written since construction. */
    public long saves() {
        return saves;
    }

    public Path file() {
        return file;
    }

    private void writeAtomically(byte[] record) {
        try {
            try (FileChannel channel = FileChannel.open(tempFile, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(record);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tempFile, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system cannot rename atomically: " + file, e);
            }
            fsyncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save safety state to " + file, e);
        }
    }

    /** Makes the rename durable (POSIX: the directory entry lives in the directory's data). */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; Linux and macOS can, and there it must succeed.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }
}
