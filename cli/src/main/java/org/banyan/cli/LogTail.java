package org.banyan.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for failure messages: read from the end, so a large log costs little. */
final class LogTail {
    /** How much of the file's end is read at most; a tail is for a message, not for analysis. */
    static final int TAIL_BYTES_MAX = 64 * 1024;

    private LogTail() {}

    /**
     * The last {@code linesMax} lines of {@code log} written at or after byte {@code fromOffset}, each indented by
     * two spaces; a note in place of the lines if the file cannot be read.
     */
    static String of(Path log, long fromOffset, int linesMax) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(Math.max(0, fromOffset), file.length() - TAIL_BYTES_MAX);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            List<String> tail = lines.subList(Math.max(0, lines.size() - linesMax), lines.size());
            return tail.isEmpty() || (tail.size() == 1 && tail.getFirst().isBlank()) ? "  (the log is empty)"
                    : "  " + String.join("\n  ", tail);
        } catch (IOException e) {
            return "  (cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
