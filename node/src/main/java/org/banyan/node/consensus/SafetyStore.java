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
 * One channel's safety state on disk: what {@code Actions.persist()} and {@code Actions.saveBlocks()} ask the node to
 * fsync before anything is sent.
 *
 * <ul>
 *   <li><b>The state record</b> {@code <file>} ({@link SafetyStateCodec}, without blocks — a few hundred bytes) is
 *       rewritten atomically on every change: write {@code <file>.tmp}, {@link FileChannel#force force(true)},
 *       atomic rename, fsync the directory. A crash leaves the old or the new record, never a mix.
 *   <li><b>Each uncommitted block</b> is written once, when the replica first holds it, to its own file in
 *       {@code <file>.blocks/} (a record of the initial state and that one block, so it carries the same CRC),
 *       fsynced together with its directory before the state record is written. It is deleted once the ledger
 *       holds its height durably. Rewriting every held block on every vote would fsync megabytes per round.
 * </ul>
 *
 * <p>{@link #load()} returns {@link SafetyState#initial()} and no blocks when the record does not exist, and throws
 * {@link CorruptStateException} when it exists but cannot be trusted — it never silently resets (restarting from
 * the initial state could make the replica vote twice in a round). A block file that does not decode is deleted
 * and skipped: blocks only serve liveness (the replica can fetch them again), and a torn one was never followed by
 * the state record of its step. Records of the earlier format, with blocks inside, load as before.
 *
 * <p>Not thread-safe: owned by the driver's event-loop thread. IO failures surface as {@link UncheckedIOException}
 * (a full disk must stop the replica: it may not send what it could not persist).
 */
public final class SafetyStore {
    private static final System.Logger LOG = System.getLogger(SafetyStore.class.getName());
    private static final String BLOCK_SUFFIX = ".blk";

    private final Path file;
    private final Path blocksDir;
    /** Whether {@link #blocksDir} is known to exist (creating it on every save would throw inside the JDK). */
    private boolean blocksDirExists;
    private final SafetyStateCodec codec;
    private final int savedBlocksMax;

    private SafetyState state;
    /** Uncommitted blocks on disk, by id. */
    private final Map<Digest, Block> blocks = new LinkedHashMap<>();
    private long saves;

    /**
     * @param file the record's path, e.g. {@code <dataDir>/consensus/<channel>.safety}; its directory must exist
     * @param savedBlocksMax most blocks kept on disk (the codec's {@code savedBlocksMax})
     */
    public SafetyStore(Path file, SafetyStateCodec codec, int savedBlocksMax) {
        if (savedBlocksMax < 1) {
            throw new IllegalArgumentException("savedBlocksMax=" + savedBlocksMax);
        }
        this.file = file;
        this.blocksDir = file.resolveSibling(file.getFileName() + ".blocks");
        this.codec = codec;
        this.savedBlocksMax = savedBlocksMax;
    }

    /**
     * Reads the record and the block files (and remembers them as the base of later saves).
     *
     * @throws CorruptStateException when the record exists but is torn, fails its checksum or does not decode
     * @throws UncheckedIOException when a file cannot be read
     */
    public SafetyStateCodec.Saved load() throws CorruptStateException {
        blocks.clear();
        byte[] record;
        try {
            record = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            record = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (record == null) {
            state = SafetyState.initial();
        } else {
            SafetyStateCodec.Saved saved;
            try {
                saved = codec.decode(record);
            } catch (CorruptStateException e) {
                throw new CorruptStateException(file + ": " + e.getMessage(), e);
            }
            state = saved.state();
            saved.blocks().forEach(b -> blocks.put(b.id(), b));
        }
        loadBlockFiles();
        return new SafetyStateCodec.Saved(state, List.copyOf(blocks.values()));
    }

    private void loadBlockFiles() {
        if (!Files.isDirectory(blocksDir)) {
            return;
        }
        try (var files = Files.list(blocksDir)) {
            for (Path blockFile : files.sorted().toList()) {
                if (!blockFile.getFileName().toString().endsWith(BLOCK_SUFFIX)) {
                    Files.deleteIfExists(blockFile); // a temporary file of an interrupted write
                    continue;
                }
                try {
                    for (Block block : codec.decode(Files.readAllBytes(blockFile)).blocks()) {
                        blocks.put(block.id(), block);
                    }
                } catch (CorruptStateException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: unreadable block file deleted: {1}", blockFile,
                            e.getMessage());
                    Files.deleteIfExists(blockFile);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + blocksDir, e);
        }
    }

    /**
     * Applies one step's outputs and, if anything changed, writes it durably before returning.
     *
     * @param persist the new safety state, or null to keep the current one
     * @param newBlocks blocks the replica now holds (may be empty)
     * @param durableHeight blocks at or below it (the ledger holds them) are deleted
     * @return whether anything was written
     */
    public boolean save(SafetyState persist, List<Block> newBlocks, Height durableHeight) {
        if (state == null) {
            throw new IllegalStateException("save before load");
        }
        List<Block> fresh = newBlocks.stream().filter(b -> b.height().isAfter(durableHeight)
                && !blocks.containsKey(b.id())).toList();
        try {
            prune(durableHeight);
            if (persist == null && fresh.isEmpty()) {
                return false;
            }
            if (!fresh.isEmpty()) {
                if (!blocksDirExists) {
                    Files.createDirectories(blocksDir);
                    blocksDirExists = true;
                }
                for (Block block : fresh) {
                    // Written in place: a torn block file fails its CRC at load and is dropped (see class comment).
                    writeAndForce(blockFile(block), codec.encode(SafetyState.initial(), List.of(block)));
                    blocks.put(block.id(), block);
                }
                fsyncDirectory(blocksDir);
                boundBlocks();
            }
            if (persist != null) {
                state = persist;
                writeDurably(file, codec.encode(state, List.of()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save safety state to " + file, e);
        }
        saves++;
        return true;
    }

    /** Deletes blocks the ledger holds (no fsync: a file that survives a crash is ignored as committed). */
    private void prune(Height durableHeight) throws IOException {
        List<Block> done = blocks.values().stream().filter(b -> !b.height().isAfter(durableHeight)).toList();
        for (Block block : done) {
            Files.deleteIfExists(blockFile(block));
            blocks.remove(block.id());
        }
    }

    /** Keeps the highest blocks: the lowest are the likeliest to be committed or abandoned already. */
    private void boundBlocks() throws IOException {
        if (blocks.size() <= savedBlocksMax) {
            return;
        }
        List<Block> sorted = new ArrayList<>(blocks.values());
        sorted.sort(Comparator.comparing(Block::height));
        for (Block block : sorted.subList(0, sorted.size() - savedBlocksMax)) {
            Files.deleteIfExists(blockFile(block));
            blocks.remove(block.id());
        }
    }

    private Path blockFile(Block block) {
        return blocksDir.resolve(String.format("%020d-%s%s", block.height().value(), block.id(), BLOCK_SUFFIX));
    }

    /** The state last loaded or saved. */
    public SafetyState state() {
        return state;
    }

    /** Blocks currently on disk. */
    public int savedBlocks() {
        return blocks.size();
    }

    /** Saves that wrote something since construction. */
    public long saves() {
        return saves;
    }

    public Path file() {
        return file;
    }

    /** Writes {@code target} atomically and durably: temporary file, fsync, rename, fsync the directory. */
    private static void writeDurably(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        writeAndForce(temp, bytes);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + target, e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    private static void writeAndForce(Path target, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
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
