package org.banyan.ledger.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.banyan.crypto.Assert;
import org.banyan.ledger.storage.Directories;

/**
 * A node's installed chaincode packages, one file each in a directory, content-addressed by Fabric's package ID
 * and named as Fabric's peer names them ({@code <label>.<sha256 hex>.tar.gz}, Fabric's {@code CCFileName}), so
 * a Fabric peer's {@code lifecycle/chaincodes} directory can be copied in. Packages are per node, not per
 * channel: installing makes a node able to endorse for every channel whose committed definition its
 * organisation approved with that package ID.
 *
 * <p>Installing writes a temporary file, fsyncs it, renames it into place and fsyncs the directory, so a crash
 * leaves the package either whole or absent. Thread-safe: installs are serialised; reads run in parallel.
 */
public final class PackageStore {
    /** The most packages one node holds; installing more is refused. */
    public static final int PACKAGES_MAX = 10_000;

    private static final Pattern FILE_NAME = Pattern.compile("^(.+)[.]([0-9a-f]{64})[.]tar[.]gz$");
    private static final Pattern PACKAGE_ID = Pattern.compile("^(.+):([0-9a-f]{64})$");
    private static final String TEMP_PREFIX = ".ccpackage.";

    private final Path dir;
    private final Consumer<InstalledPackage> onInstalled;
    private final ReentrantLock installLock = new ReentrantLock();

    private PackageStore(Path dir, Consumer<InstalledPackage> onInstalled) {
        this.dir = dir;
        this.onInstalled = onInstalled;
    }

    /**
     * Opens (creating it durably if needed) the store in {@code dir}; leftovers of an install interrupted by a
     * crash are removed.
     *
     * @throws UncheckedIOException when the directory cannot be created or read
     */
    public static PackageStore open(Path dir) {
        return open(dir, installed -> { });
    }

    /**
     * As {@link #open(Path)}, telling {@code onInstalled} of each package once it is durably installed (a node
     * launches what it can run). It is called on the installing thread, after the install and outside the store's
     * lock; it must return quickly and not throw.
     */
    public static PackageStore open(Path dir, Consumer<InstalledPackage> onInstalled) {
        java.util.Objects.requireNonNull(onInstalled, "onInstalled");
        try {
            Directories.createDurably(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
                for (Path leftover : files) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open chaincode package store " + dir, e);
        }
        return new PackageStore(dir, onInstalled);
    }

    /** The directory holding the packages. */
    public Path dir() {
        return dir;
    }

    /**
     * Installs a package (Fabric's {@code InstallChaincode}): parses it, then stores it under its package ID.
     *
     * @throws LifecycleException {@code could not parse as a chaincode install package: …} for a malformed
     *     package, {@code chaincode already successfully installed (package ID '…')} when it is installed
     * @throws UncheckedIOException when the disk fails; nothing is installed
     */
    public InstalledPackage install(byte[] packageBytes) {
        ChaincodePackage parsed = ChaincodePackage.parse(packageBytes);
        installLock.lock();
        try {
            Path file = dir.resolve(fileName(parsed.packageId()));
            if (Files.exists(file)) {
                throw new LifecycleException("chaincode already successfully installed (package ID '"
                        + parsed.packageId() + "')");
            }
            if (list().size() >= PACKAGES_MAX) {
                throw new LifecycleException("could not save cc install package: the node holds " + PACKAGES_MAX
                        + " packages already");
            }
            writeDurably(file, packageBytes);
        } finally {
            installLock.unlock();
        }
        InstalledPackage installed = new InstalledPackage(parsed.packageId(), parsed.label());
        onInstalled.accept(installed);
        return installed;
    }

    /** Whether the package with this ID is installed. */
    public boolean isInstalled(String packageId) {
        return path(packageId).map(Files::exists).orElse(false);
    }

    /**
     * The bytes of an installed package (Fabric's {@code ChaincodeStore.Load}).
     *
     * @throws LifecycleException {@code chaincode install package '…' not found} when it is not installed
     */
    public byte[] load(String packageId) {
        Optional<Path> file = path(packageId);
        if (file.isPresent()) {
            try {
                return Files.readAllBytes(file.get());
            } catch (NoSuchFileException e) {
                // fall through to not found
            } catch (IOException e) {
                throw new UncheckedIOException("error reading chaincode install package at " + file.get(), e);
            }
        }
        throw new LifecycleException("chaincode install package '" + packageId + "' not found");
    }

    /** The installed packages, sorted by package ID. */
    public List<InstalledPackage> list() {
        List<InstalledPackage> installed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = FILE_NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    installed.add(new InstalledPackage(m.group(1) + ":" + m.group(2), m.group(1)));
                    if (installed.size() > PACKAGES_MAX) {
                        throw new IllegalStateException(dir + " holds more than " + PACKAGES_MAX + " packages");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("error reading chaincode directory at " + dir, e);
        }
        installed.sort(Comparator.comparing(InstalledPackage::packageId));
        return installed;
    }

    /** An installed package by ID. */
    public Optional<InstalledPackage> find(String packageId) {
        Matcher m = PACKAGE_ID.matcher(packageId);
        return isInstalled(packageId) && m.matches()
                ? Optional.of(new InstalledPackage(packageId, m.group(1))) : Optional.empty();
    }

    /** Fabric's {@code CCFileName}: the first ':' becomes '.', then {@code .tar.gz}. */
    static String fileName(String packageId) {
        return packageId.replaceFirst(":", ".") + ".tar.gz";
    }

    /** The file of a well-formed package ID (a valid label, so no path separator), else empty. */
    private Optional<Path> path(String packageId) {
        Matcher m = PACKAGE_ID.matcher(packageId);
        if (!m.matches() || !ChaincodePackage.validLabel(m.group(1))) {
            return Optional.empty();
        }
        Path file = dir.resolve(fileName(packageId));
        Assert.that(file.getParent().equals(dir), "package file %s outside %s", file, dir);
        return Optional.of(file);
    }

    private void writeDurably(Path file, byte[] bytes) {
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, TEMP_PREFIX, "");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            Directories.sync(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("error writing chaincode install package to " + file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the next open removes it
                }
            }
        }
    }
}
