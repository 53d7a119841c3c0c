package dev.agentstream.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Turns the load generator's result lines into markdown tables, targets side by side with ratios
 * to the raw proxy of the same run, and puts them into a document between two marker comments
 * (replacing what a previous run put there, or appending the section the first time).
 *
 * <p>Usage: {@code ReportWriter --results f --doc docs/BENCHMARKS.md --command "…" --date … --machine "…"
 * [--notes "…"] [--held-p99-ms 50]}.
 */
public final class ReportWriter {

    static final String BEGIN = "<!-- streaming-bench:begin (written by agentstream-bench/streaming-bench.sh) -->";
    static final String END = "<!-- streaming-bench:end -->";
    private static final String BASELINE = "proxy";

    private final Map<String, Map<Integer, Map<String, String>>> rows = new LinkedHashMap<>();
    private final Set<Integer> levels = new TreeSet<>();
    private final double heldP99Ms;

    private ReportWriter(List<String> lines, double heldP99Ms) {
        this.heldP99Ms = heldP99Ms;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (String pair : line.split("\t")) {
                int eq = pair.indexOf('=');
                row.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            int streams = Integer.parseInt(row.get("streams"));
            levels.add(streams);
            rows.computeIfAbsent(row.get("target"), t -> new LinkedHashMap<>()).put(streams, row);
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ReportWriter report = new ReportWriter(Files.readAllLines(Path.of(args.required("results"))),
            args.decimal("held-p99-ms", 50));
        String section = report.section(args.required("command"), args.required("date"), args.required("machine"),
            args.get("notes", ""));
        Path doc = Path.of(args.required("doc"));
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin >= 0 && end > begin) {
            text = text.substring(0, begin) + section + text.substring(end + END.length());
        } else {
            text = text.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.writeString(doc, text);
        System.out.println(section);
    }

    String section(String command, String date, String machine, String notes) {
        StringBuilder md = new StringBuilder(BEGIN).append("\n");
        md.append("## Concurrent streams: agentstream against a raw byte proxy\n\n");
        md.append("Each stream asks the fake OpenAI upstream for tokens whose text carries their emit time; the load\n")
            .append("generator reads real SSE over raw sockets and takes, per token, receive time minus emit time.\n")
            .append("Upstream, load generator and target share the machine; each target is started fresh, and ratios\n")
            .append("are to the raw proxy measured in the same run. Delivery latency leaves out tokens emitted after\n")
            .append("the harness forced its own full GC for the heap figure.\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append("Run of ").append(date).append("; machine: ").append(machine).append(".\n");
        if (!notes.isBlank()) {
            md.append("\n").append(notes.strip()).append("\n");
        }
        held(md);
        table(md, "Delivery latency p50 / p99 (ms); ratio of p99", r -> pair(r, "delivery_p50_ms", "delivery_p99_ms"),
            "delivery_p99_ms");
        table(md, "Streams complete (every token, in order, once) / not stopped", r -> r.get("complete") + " / "
            + (parse(r, "complete") + parse(r, "incomplete")), null);
        table(md, "Delivery max (ms)", r -> r.get("delivery_max_ms"), null);
        table(md, "Server CPU: cores used / CPU µs per delivered token; ratio of µs per token",
            r -> r.getOrDefault("cpu_cores", "–") + " / " + r.getOrDefault("cpu_us_per_token", "–"), "cpu_us_per_token");
        table(md, "Live threads of the target process", r -> r.getOrDefault("threads", "–"), "threads");
        table(md, "Heap per open stream after a full GC (KB); ratio", r -> r.getOrDefault("heap_per_stream_kb", "–"),
            "heap_per_stream_kb");
        table(md, "Time to first body byte p50 / p99 (ms); p50 added over the raw proxy", r -> pair(r, "ttfb_p50_ms",
            "ttfb_p99_ms"), "ttfb_p50_ms", ReportWriter::added);
        table(md, "Stop → upstream connection closed p50 / p99 (ms) (agentstream: cancel route; others: client"
            + " disconnect)", r -> pair(r, "stop_upstream_p50_ms", "stop_upstream_p99_ms") + seen(r, "stop_upstream_seen"),
            null);
        table(md, "Stop → RunCancelled at the client p50 / p99 (ms)", r -> r.containsKey("stop_event_seen")
            && !r.get("target").equals(BASELINE) ? pair(r, "stop_event_p50_ms", "stop_event_p99_ms")
            + seen(r, "stop_event_seen") : "–", null);
        table(md, "Tokens delivered / machine load average (1 min)", r -> r.get("tokens_delivered") + " / "
            + r.get("loadavg"), null);
        md.append(END);
        return md.toString();
    }

    private void held(StringBuilder md) {
        md.append("\n### Streams held at delivery p99 <= ").append(fmt(heldP99Ms)).append(" ms\n\n");
        md.append("The largest level tried whose delivery p99 stayed within the bound with every stream complete.\n\n");
        md.append("| target | streams held | ratio to raw proxy |\n|---|---|---|\n");
        int baseline = held(rows.getOrDefault(BASELINE, Map.of()));
        for (String target : rows.keySet()) {
            int held = held(rows.get(target));
            md.append("| ").append(name(target)).append(" | ").append(held).append(" | ")
                .append(target.equals(BASELINE) ? "1" : baseline == 0 ? "–" : fmt((double) held / baseline))
                .append(" |\n");
        }
    }

    private int held(Map<Integer, Map<String, String>> byLevel) {
        int held = 0;
        for (Map.Entry<Integer, Map<String, String>> e : byLevel.entrySet()) {
            Map<String, String> r = e.getValue();
            double p99 = Double.parseDouble(r.get("delivery_p99_ms"));
            if (p99 >= 0 && p99 <= heldP99Ms && parse(r, "incomplete") == 0) {
                held = Math.max(held, e.getKey());
            }
        }
        return held;
    }

    private void table(StringBuilder md, String title, Function<Map<String, String>, String> cell, String ratioKey) {
        table(md, title, cell, ratioKey, ReportWriter::ratio);
    }

    /** A table of one figure per level and target; {@code compare} shows {@code key} against the raw proxy's. */
    private void table(StringBuilder md, String title, Function<Map<String, String>, String> cell, String ratioKey,
                       BinaryOperator<String> compare) {
        md.append("\n### ").append(title).append("\n\n| streams |");
        List<String> targets = new ArrayList<>(rows.keySet());
        for (String target : targets) {
            md.append(' ').append(name(target)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(targets.size())).append('\n');
        for (int level : levels) {
            md.append("| ").append(level).append(" |");
            Map<String, String> base = rows.getOrDefault(BASELINE, Map.of()).get(level);
            for (String target : targets) {
                Map<String, String> r = rows.get(target).get(level);
                md.append(' ');
                if (r == null) {
                    md.append("–");
                } else {
                    md.append(cell.apply(r));
                    if (ratioKey != null && !target.equals(BASELINE) && base != null) {
                        md.append(compare.apply(base.get(ratioKey), r.get(ratioKey)));
                    }
                }
                md.append(" |");
            }
            md.append('\n');
        }
    }

    private static String ratio(String base, String value) {
        if (base == null || value == null) {
            return "";
        }
        double b = Double.parseDouble(base);
        double v = Double.parseDouble(value);
        return b > 0 && v >= 0 ? " (" + fmt(v / b) + "x)" : "";
    }

    private static String added(String base, String value) {
        if (base == null || value == null || Double.parseDouble(value) < 0 || Double.parseDouble(base) < 0) {
            return "";
        }
        return String.format(Locale.ROOT, " (%+.1f ms)", Double.parseDouble(value) - Double.parseDouble(base));
    }

    private static String pair(Map<String, String> r, String first, String second) {
        return r.containsKey(first) ? r.get(first) + " / " + r.get(second) : "–";
    }

    private static String seen(Map<String, String> r, String key) {
        return r.containsKey("stop_samples") ? " (" + r.getOrDefault(key, "0") + " of " + r.get("stop_samples") + ")"
            : "";
    }

    private static long parse(Map<String, String> r, String key) {
        return Long.parseLong(r.getOrDefault(key, "0"));
    }

    private static String name(String target) {
        return switch (target) {
            case "proxy" -> "raw proxy";
            case "spring" -> "Spring AI peer";
            default -> target;
        };
    }

    private static String fmt(double value) {
        return value >= 10 || value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
            : String.format(Locale.ROOT, "%.2f", value);
    }
}
