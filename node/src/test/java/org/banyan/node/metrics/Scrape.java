package org.banyan.node.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus text format 0.0.4 read back, strictly: a line that is not a HELP, a TYPE or a well-formed sample of a
 * family typed before it fails the parse. For tests of the registry and of {@code /metrics}.
 */
public final class Scrape {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private Scrape() {}

    public static Scrape parse(String text) {
        Scrape scrape = new Scrape();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a line feed");
        }
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String rest = line.substring("# HELP ".length());
                int space = rest.indexOf(' ');
                scrape.help.put(rest.substring(0, space), unescapeHelp(rest.substring(space + 1)));
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                if (parts.length != 2 || scrape.types.put(parts[0], parts[1]) != null) {
                    throw new IllegalArgumentException("bad or repeated TYPE line: " + line);
                }
            } else {
                Sample sample = sample(line);
                if (!scrape.types.containsKey(family(sample.name(), scrape.types))) {
                    throw new IllegalArgumentException("sample before its TYPE line: " + line);
                }
                scrape.samples.add(sample);
            }
        }
        return scrape;
    }

    private static String family(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            String base = sampleName.endsWith(suffix) ? sampleName.substring(0, sampleName.length() - suffix.length())
                    : null;
            if (base != null && "histogram".equals(types.get(base))) {
                return base;
            }
        }
        return sampleName;
    }

    private static Sample sample(String line) {
        int at = 0;
        while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
            at++;
        }
        String name = line.substring(0, at);
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf('=', at);
                String label = line.substring(at, equals);
                if (line.charAt(equals + 1) != '"') {
                    throw new IllegalArgumentException("label value not quoted: " + line);
                }
                StringBuilder value = new StringBuilder();
                int i = equals + 2;
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(switch (next) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + next + ": " + line);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("repeated label " + label + ": " + line);
                }
                at = i + 1;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        if (line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value: " + line);
        }
        return new Sample(name, labels, parseValue(line.substring(at + 1)));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '\\' || text.charAt(i + 1) == 'n')) {
                out.append(text.charAt(++i) == 'n' ? '\n' : '\\');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public List<Sample> samples() {
        return samples;
    }

    public String help(String family) {
        return help.get(family);
    }

    public String type(String family) {
        return types.get(family);
    }

    /** The value of the sample with exactly these labels ({@code "name", "value", ...}), if there is one. */
    public Optional<Double> find(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(Sample::value).findFirst();
    }

    /** As {@link #find}, failing when there is no such sample. */
    public double value(String name, String... labelPairs) {
        return find(name, labelPairs).orElseThrow(() -> new AssertionError("no sample " + name + " "
                + List.of(labelPairs) + " in " + samples));
    }

    /** The sum over the samples of {@code name} whose labels include these ({@code "name", "value", ...}). */
    public double sum(String name, String... labelPairs) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(Sample::value).sum();
    }
}
