package org.banyan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU seconds (user + system) a process has used, from Linux's {@code /proc/<pid>/stat}. */
final class ProcessCpu {
    /** Linux's USER_HZ: the unit of utime and stime, 100 on every mainstream kernel configuration. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** The process's user + system CPU seconds, or 0 when it is gone or this is not Linux. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: split after its closing one.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime is field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
