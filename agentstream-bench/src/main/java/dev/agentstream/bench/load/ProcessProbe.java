package dev.agentstream.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server-side figures of the target process: CPU time, live threads and open files from {@code /proc}, used
 * heap after a full GC through {@code jcmd} (the JDK's own tool, so any JVM target works).
 */
final class ProcessProbe {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final long pid;
    private final int clockTicksPerSecond;
    private final String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();

    ProcessProbe(long pid, int clockTicksPerSecond) {
        this.pid = pid;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /** User plus system CPU time the process used so far, in microseconds. */
    long cpuMicros() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000L / clockTicksPerSecond;
    }

    int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        return -1;
    }

    /** File descriptors the process holds open: files, sockets, pipes. */
    int openFiles() throws IOException {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) entries.count();
        }
    }

    /** Used heap in KiB right after a full GC ({@code GC.run}, then {@code GC.heap_info}), or -1. */
    long usedHeapKbAfterGc() {
        // One jcmd for both commands: attaching costs about a second on a busy machine.
        String info = jcmd("GC.run\nGC.heap_info\n");
        if (info == null) {
            return -1;
        }
        Matcher m = USED.matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The machine's 1-minute load average, as a hint of how shared the cores were. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private String jcmd(String commands) {
        Path file = null;
        try {
            file = Files.createTempFile("bench-jcmd", ".txt");
            Files.writeString(file, commands);
            Process process = new ProcessBuilder(jcmd, Long.toString(pid), "-f", file.toString())
                .redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                System.err.println("jcmd: no answer in 30 s");
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                System.err.println("jcmd failed: " + out.strip());
                return null;
            }
            return out;
        } catch (IOException e) {
            System.err.println("jcmd: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temp file left behind
                }
            }
        }
    }
}
