package org.banyan.node.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.banyan.crypto.Assert;

/**
 * Files only their owner may read (API key hashes, wallet keys): written to a temporary file created owner-only
 * from the start, then moved over the target in one step, so a reader — the node reloading the API keys while
 * {@code banyan apikey create} runs — sees the old file or the new one, never a torn one, and a secret is never
 * readable by others even briefly. On file systems without POSIX permissions the files get the defaults.
 */
final class SecretFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {}

    /** Creates {@code dir} and missing parents; those it creates are owner-only. */
    static void createDirectories(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    createDirectories(parent);
                }
                Files.createDirectory(dir, attributes(OWNER_DIR));
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Created meanwhile by another writer; fine if it is a directory.
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot create directory " + dir + ": a file is in the way", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    /** Replaces {@code file} with {@code bytes} atomically; the file is owner-only. */
    static void write(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes(OWNER_FILE));
            Files.write(temp, bytes);
            Assert.that(Files.size(temp) == bytes.length, "short write to %s", temp);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed; that is what the caller hears.
                }
            }
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
