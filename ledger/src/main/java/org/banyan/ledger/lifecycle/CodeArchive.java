package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the files of a package's {@value ChaincodePackage#CODE_PACKAGE_FILE} (a gzipped tar), for a node that runs
 * what a package holds (a prebuilt Java chaincode, a chaincode server's {@code connection.json}). Each file is
 * handed over whole, one at a time; directories are skipped; anything else (links, devices) is refused, as is a
 * name that could leave the directory it is extracted to. Bounded: {@link ChaincodePackage#ENTRIES_MAX} entries,
 * {@link ChaincodePackage#PACKAGE_BYTES_MAX} bytes per file, {@link ChaincodePackage#DECOMPRESSED_BYTES_MAX} bytes
 * in all.
 */
public final class CodeArchive {
    private static final byte TYPE_DIRECTORY = '5';
    private static final String PREFIX = "could not read the code package: ";

    private CodeArchive() {}

    /** Receives each file of the archive, in archive order. */
    @FunctionalInterface
    public interface FileVisitor {
        /**
         * @param name the file's path inside the archive, {@code /}-separated and relative (no {@code .} or
         *     {@code ..} segments, no leading {@code ./})
         */
        void file(String name, byte[] content) throws IOException;
    }

    /**
     * Visits every regular file of {@code codePackage}.
     *
     * @throws LifecycleException for a damaged archive, an entry that is no regular file or directory, an unsafe
     *     name, or an archive past the bounds ({@code could not read the code package: ...})
     * @throws IOException what the visitor throws
     */
    public static void forEachFile(ByteString codePackage, FileVisitor visitor) throws IOException {
        try (InputStream gzip = new GZIPInputStream(codePackage.newInput())) {
            InputStream bounded = new ChaincodePackage.BoundedInputStream(gzip,
                    ChaincodePackage.DECOMPRESSED_BYTES_MAX);
            TarReader tar = new TarReader(bounded, ChaincodePackage.PACKAGE_BYTES_MAX);
            int entries = 0;
            for (Optional<TarReader.Entry> next = tar.next(); next.isPresent(); next = tar.next()) {
                TarReader.Entry entry = next.get();
                if (++entries > ChaincodePackage.ENTRIES_MAX) {
                    throw invalid("more than " + ChaincodePackage.ENTRIES_MAX + " entries");
                }
                if (entry.type() == TYPE_DIRECTORY) {
                    continue;
                }
                if (entry.type() != TarReader.TYPE_REGULAR) {
                    throw invalid("tar entry " + entry.name() + " is not a regular file or directory, type "
                            + (entry.type() & 0xff));
                }
                visitor.file(safeName(entry.name()), entry.content());
            }
        } catch (ZipException | java.io.EOFException e) {
            throw invalid("error reading as gzip stream: " + e.getMessage());
        } catch (LifecycleException e) {
            throw e.getMessage().startsWith(PREFIX) ? e : invalid(e.getMessage());
        }
    }

    private static LifecycleException invalid(String why) {
        return new LifecycleException(PREFIX + why);
    }

    /** The name without a leading {@code ./}; refused when absolute or when a segment is empty, . or .. */
    static String safeName(String name) {
        String relative = name;
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        if (relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\\') >= 0
                || relative.indexOf('\0') >= 0) {
            throw invalid("unsafe file name '" + name + "'");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid("unsafe file name '" + name + "'");
            }
        }
        return relative;
    }
}
