package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.banyan.crypto.Hashes;

/**
 * A chaincode install package in Fabric's format, as {@code peer lifecycle chaincode package} writes it: a
 * gzipped tar holding {@value #METADATA_FILE} ({@code {"type": "golang", "path": "...", "label": "basic_1.0"}})
 * and {@value #CODE_PACKAGE_FILE} (the code, itself a gzipped tar). Its ID is Fabric's package ID,
 * {@code <label>:<hex SHA-256 of the whole package>} — the same bytes give the same ID on every node and in Fabric.
 *
 * @param label the metadata's label (Fabric's label rule: an alphanumeric, then alphanumerics and {@code ._+-})
 * @param type the chaincode type ({@code golang}, {@code java}, {@code node}, {@code ccaas}, …), as written
 * @param path the metadata's path, as written
 * @param packageId {@code label:sha256hex}
 * @param codePackage the bytes of {@value #CODE_PACKAGE_FILE}
 */
public record ChaincodePackage(String label, String type, String path, String packageId, ByteString codePackage) {
    public static final String METADATA_FILE = "metadata.json";
    public static final String CODE_PACKAGE_FILE = "code.tar.gz";
    /** The largest package accepted: Fabric's peer takes gRPC messages up to 100 MiB. */
    public static final int PACKAGE_BYTES_MAX = 100 << 20;
    /** The most bytes one package may decompress to, against compression bombs. */
    public static final long DECOMPRESSED_BYTES_MAX = 1L << 30;
    /** The most tar entries one package may hold. */
    public static final int ENTRIES_MAX = 1_000;

    /** Fabric's {@code LabelRegexp}. */
    static final Pattern LABEL = Pattern.compile("^[\\p{Alnum}][\\p{Alnum}_.+-]*$");

    public ChaincodePackage {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(codePackage, "codePackage");
    }

    /**
     * Parses a package as Fabric's {@code ParseChaincodePackage} does.
     *
     * @throws LifecycleException with Fabric's message (gzip or tar damage, {@code did not find a code package
     *     inside the package}, {@code did not find any package metadata (missing metadata.json)}, {@code invalid
     *     label '…'. …}, …), prefixed {@code could not parse as a chaincode install package: }
     */
    public static ChaincodePackage parse(byte[] bytes) {
        try {
            return parseUnwrapped(bytes);
        } catch (LifecycleException e) {
            throw e.withContext("could not parse as a chaincode install package");
        }
    }

    /** Fabric's package ID of these bytes under this label. */
    public static String packageId(String label, byte[] bytes) {
        return label + ":" + HexFormat.of().formatHex(Hashes.sha256(bytes));
    }

    /** Whether {@code label} satisfies Fabric's label rule. */
    public static boolean validLabel(String label) {
        return LABEL.matcher(label).matches();
    }

    private static ChaincodePackage parseUnwrapped(byte[] bytes) {
        if (bytes.length > PACKAGE_BYTES_MAX) {
            throw new LifecycleException("package of " + bytes.length + " bytes is larger than " + PACKAGE_BYTES_MAX);
        }
        byte[] metadata = null;
        byte[] code = null;
        try (InputStream gzip = gunzip(bytes)) {
            InputStream bounded = new BoundedInputStream(gzip, DECOMPRESSED_BYTES_MAX);
            TarReader tar = new TarReader(bounded, PACKAGE_BYTES_MAX);
            int entries = 0;
            for (Optional<TarReader.Entry> next = tar.next(); next.isPresent(); next = tar.next()) {
                TarReader.Entry entry = next.get();
                if (++entries > ENTRIES_MAX) {
                    throw new LifecycleException("package holds more than " + ENTRIES_MAX + " entries");
                }
                if (entry.type() != TarReader.TYPE_REGULAR) {
                    throw new LifecycleException("tar entry " + entry.name() + " is not a regular file, type "
                            + (entry.type() & 0xff));
                }
                switch (entry.name()) {
                    case METADATA_FILE -> metadata = entry.content();
                    case CODE_PACKAGE_FILE -> code = entry.content();
                    default -> {
                        // Fabric logs and ignores other top-level files.
                    }
                }
            }
            // Read to the end of the gzip stream so its checksum is verified (Go's tar reader stops at the
            // archive's end marker, so Fabric would accept a package whose compressed tail is damaged).
            bounded.transferTo(OutputStream.nullOutputStream());
        } catch (ZipException e) {
            throw new LifecycleException("error reading as gzip stream: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LifecycleException("error inspecting next tar header: " + e.getMessage(), e);
        }
        Fields fields = metadata == null ? null : metadata(metadata);
        if (code == null) {
            throw new LifecycleException("did not find a code package inside the package");
        }
        if (fields == null) {
            throw new LifecycleException("did not find any package metadata (missing " + METADATA_FILE + ")");
        }
        if (!validLabel(fields.label())) {
            throw new LifecycleException("invalid label '" + fields.label() + "'. Label must be non-empty, can only"
                    + " consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics");
        }
        return new ChaincodePackage(fields.label(), fields.type(), fields.path(), packageId(fields.label(), bytes),
                ByteString.copyFrom(code));
    }

    private static InputStream gunzip(byte[] bytes) throws IOException {
        try {
            return new GZIPInputStream(new ByteArrayInputStream(bytes));
        } catch (ZipException e) {
            throw new LifecycleException("error reading as gzip stream: gzip: invalid header", e);
        } catch (java.io.EOFException e) {
            throw new LifecycleException("error reading as gzip stream: EOF", e);
        }
    }

    private record Fields(String type, String path, String label) {}

    /** {@code metadata.json} as Go decodes it into {@code ChaincodePackageMetadata{Type, Path, Label}}. */
    private static Fields metadata(byte[] json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new LifecycleException("could not unmarshal " + METADATA_FILE + " as json: invalid UTF-8", e);
        }
        String type = "";
        String path = "";
        String label = "";
        try {
            for (JsonObjectReader.Member member : JsonObjectReader.members(text)) {
                String field = member.name().toLowerCase(java.util.Locale.ROOT);
                if (!field.equals("type") && !field.equals("path") && !field.equals("label")) {
                    continue;
                }
                if (member.kind().equals("null")) {
                    continue;
                }
                if (member.stringValue() == null) {
                    throw new LifecycleException("could not unmarshal " + METADATA_FILE + " as json: json: cannot"
                            + " unmarshal " + member.kind() + " into Go struct field ChaincodePackageMetadata."
                            + field + " of type string");
                }
                switch (field) {
                    case "type" -> type = member.stringValue();
                    case "path" -> path = member.stringValue();
                    default -> label = member.stringValue();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new LifecycleException("could not unmarshal " + METADATA_FILE + " as json: " + e.getMessage(), e);
        }
        return new Fields(type, path, label);
    }

    /** Fails once more than {@code bytesMax} bytes were read. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private final long bytesMax;
        private long read;

        BoundedInputStream(InputStream in, long bytesMax) {
            this.in = in;
            this.bytesMax = bytesMax;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > bytesMax) {
                throw new LifecycleException("package decompresses to more than " + bytesMax + " bytes");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
