package org.banyan.ledger.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the entries of a tar stream as Go's {@code archive/tar} does for the formats Fabric's packager writes
 * (USTAR, with PAX extended headers and GNU long names folded into the entry they describe). Headers are
 * checked (checksum, octal or base-256 size). Entries are read whole, at most {@code entryBytesMax} each.
 *
 * <p>Not thread-safe; one stream.
 */
final class TarReader {
    static final int BLOCK = 512;
    static final byte TYPE_REGULAR = '0';
    static final byte TYPE_REGULAR_OLD = 0;
    private static final byte TYPE_PAX = 'x';
    private static final byte TYPE_PAX_GLOBAL = 'g';
    private static final byte TYPE_GNU_LONG_NAME = 'L';
    /** A PAX header or long name larger than this is refused (Go caps them at 1 MiB too). */
    private static final int META_BYTES_MAX = 1 << 20;

    /** One entry: its name, Go's type flag and its content. */
    record Entry(String name, byte type, byte[] content) {}

    private final InputStream in;
    private final long entryBytesMax;

    TarReader(InputStream in, long entryBytesMax) {
        this.in = in;
        this.entryBytesMax = entryBytesMax;
    }

    /**
     * The next entry, or empty at the end of the archive.
     *
     * @throws LifecycleException with Go's wording for a malformed header or a truncated stream
     */
    Optional<Entry> next() throws IOException {
        String longName = null;
        while (true) {
            byte[] header = new byte[BLOCK];
            int read = in.readNBytes(header, 0, BLOCK);
            if (read == 0) {
                return Optional.empty();
            }
            if (read < BLOCK) {
                throw new LifecycleException("error inspecting next tar header: unexpected EOF");
            }
            if (allZero(header)) {
                return Optional.empty(); // the end-of-archive marker
            }
            checkChecksum(header);
            byte type = header[156];
            long size = size(header);
            String name = name(header);
            if (type == TYPE_PAX || type == TYPE_PAX_GLOBAL || type == TYPE_GNU_LONG_NAME) {
                if (size > META_BYTES_MAX) {
                    throw new LifecycleException("error inspecting next tar header: archive/tar: header field too long");
                }
                byte[] meta = content(size);
                if (type == TYPE_PAX) {
                    String path = paxPath(meta);
                    if (path != null) {
                        longName = path;
                    }
                } else if (type == TYPE_GNU_LONG_NAME) {
                    longName = cString(meta, 0, meta.length);
                }
                continue;
            }
            if (longName != null) {
                name = longName;
            }
            if (type == TYPE_REGULAR_OLD && !name.endsWith("/")) {
                type = TYPE_REGULAR; // Go reports the pre-POSIX regular type as TypeReg
            }
            if (type != TYPE_REGULAR) {
                skip(size);
                return Optional.of(new Entry(name, type, new byte[0]));
            }
            if (size > entryBytesMax) {
                throw new LifecycleException("could not read " + name + " from tar: larger than " + entryBytesMax + " bytes");
            }
            return Optional.of(new Entry(name, type, content(size)));
        }
    }

    private byte[] content(long size) throws IOException {
        byte[] content = in.readNBytes((int) size);
        if (content.length < size) {
            throw new LifecycleException("could not read entry from tar: unexpected EOF");
        }
        skipPadding(size);
        return content;
    }

    private void skip(long size) throws IOException {
        long left = (size + BLOCK - 1) / BLOCK * BLOCK;
        byte[] sink = new byte[BLOCK];
        while (left > 0) {
            int n = in.readNBytes(sink, 0, (int) Math.min(BLOCK, left));
            if (n == 0) {
                throw new LifecycleException("error inspecting next tar header: unexpected EOF");
            }
            left -= n;
        }
    }

    private void skipPadding(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (in.readNBytes(padding).length < padding) {
            throw new LifecycleException("error inspecting next tar header: unexpected EOF");
        }
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: the unsigned sum of the header with the checksum field read as spaces. */
    private static void checkChecksum(byte[] header) {
        long stored;
        try {
            stored = octal(header, 148, 8);
        } catch (NumberFormatException e) {
            throw invalidHeader();
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        if (sum != stored) {
            throw invalidHeader();
        }
    }

    private static long size(byte[] header) {
        if ((header[124] & 0x80) != 0) { // base-256, for sizes past 8 GiB
            long value = header[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                if (value > (Long.MAX_VALUE >>> 8)) {
                    throw invalidHeader();
                }
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        try {
            long size = octal(header, 124, 12);
            if (size < 0) {
                throw invalidHeader();
            }
            return size;
        } catch (NumberFormatException e) {
            throw invalidHeader();
        }
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        if (ustar) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static long octal(byte[] header, int offset, int length) {
        String text = cString(header, offset, length).trim();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** The {@code path} record of a PAX header ({@code "<len> path=<value>\n"} records, lengths in bytes), or null. */
    private static String paxPath(byte[] meta) {
        String path = null;
        int at = 0;
        while (at < meta.length) {
            int space = at;
            while (space < meta.length && meta[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(meta, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw invalidHeader();
            }
            if (space >= meta.length || length <= space - at + 1 || length > meta.length - at
                    || meta[at + length - 1] != '\n') {
                throw invalidHeader();
            }
            String record = new String(meta, space + 1, at + length - 1 - (space + 1), StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals > 0 && record.substring(0, equals).equals("path")) {
                path = record.substring(equals + 1);
            }
            at += length;
        }
        return path;
    }

    private static LifecycleException invalidHeader() {
        return new LifecycleException("error inspecting next tar header: archive/tar: invalid header");
    }
}
