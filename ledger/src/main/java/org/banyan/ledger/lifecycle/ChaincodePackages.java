package org.banyan.ledger.lifecycle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes chaincode packages in Fabric's format, as {@code peer lifecycle chaincode package} does: a gzipped USTAR
 * archive holding {@code metadata.json} ({@code path}, {@code type}, {@code label}) and {@code code.tar.gz} (itself
 * a gzipped tar of the sources, or of {@code connection.json} for chaincode that runs as a service). What
 * {@link ChaincodePackage} reads and {@code InstallChaincode} installs.
 */
public final class ChaincodePackages {
    private ChaincodePackages() {}

    /** One tar entry: name, type flag and content. */
    record Entry(String name, byte type, byte[] content) {
        static Entry file(String name, byte[] content) {
            return new Entry(name, (byte) '0', content);
        }

        static Entry file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A package of {@code sources} (file name → content).
     *
     * @param type Fabric's chaincode type, e.g. {@code java}, {@code golang}, {@code ccaas}
     */
    public static byte[] chaincodePackage(String label, String type, String path, Map<String, String> sources) {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        sources.forEach((name, content) -> files.put(name, content.getBytes(StandardCharsets.UTF_8)));
        return filesPackage(label, type, path, files);
    }

    /**
     * A package of binary files (path inside {@code code.tar.gz} → content), in the map's order: e.g. a prebuilt
     * Java chaincode, {@code chaincode.jar} and {@code lib/*.jar} (see {@code docs/chaincode.md}).
     */
    public static byte[] filesPackage(String label, String type, String path, Map<String, byte[]> files) {
        List<Entry> code = new ArrayList<>();
        files.forEach((name, content) -> code.add(Entry.file(name, content)));
        return gzip(tar(List.of(
                Entry.file("metadata.json", metadataJson(type, path, label)),
                Entry.file("code.tar.gz", gzip(tar(code))))));
    }

    /** {@code {"path":...,"type":...,"label":...}} with JSON string escaping. */
    static String metadataJson(String type, String path, String label) {
        return "{\"path\":" + quote(path) + ",\"type\":" + quote(type) + ",\"label\":" + quote(label) + "}";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A USTAR archive of the entries (names up to 100 bytes), ending with two zero blocks. */
    static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            byte[] header = new byte[512];
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + entry.name());
            }
            System.arraycopy(name, 0, header, 0, Math.min(100, name.length));
            octal(header, 100, 8, 0644);
            octal(header, 108, 8, 0);
            octal(header, 116, 8, 0);
            octal(header, 124, 12, entry.content().length);
            octal(header, 136, 12, 1_700_000_000L);
            header[156] = entry.type();
            System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            octal(header, 148, 7, sum);
            out.writeBytes(header);
            out.writeBytes(entry.content());
            out.writeBytes(new byte[(512 - entry.content().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Zero-padded octal, NUL-terminated, in {@code length} bytes. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String text = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - text.length())) + text;
        byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
        header[offset + bytes.length] = 0;
    }
}
