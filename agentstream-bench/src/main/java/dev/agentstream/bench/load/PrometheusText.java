package dev.agentstream.bench.load;

/** Reads one sample out of a Prometheus text exposition, as scraped from {@code /metrics}. */
final class PrometheusText {

    private final String text;

    PrometheusText(String text) {
        this.text = text;
    }

    /**
     * The value of the sample {@code name{labels}} ({@code labels} exactly as the exposition writes
     * them, or empty for none), or NaN when there is no such sample.
     */
    double value(String name, String labels) {
        String key = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return Double.parseDouble(line.substring(key.length()).trim());
            }
        }
        return Double.NaN;
    }
}
