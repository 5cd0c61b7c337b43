package org.banyan.ledger.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict JSON (RFC 8259) reader for one object whose string members Fabric reads, as Go's
 * {@code json.Unmarshal} into a struct of string fields: members match field names case-insensitively, the last
 * matching member wins, {@code null} leaves a field unset, members of other names are ignored whatever their
 * type, and a matching member that is not a string is an error. Nesting is bounded by {@value #DEPTH_MAX}.
 */
final class JsonObjectReader {
    static final int DEPTH_MAX = 64;

    /** A top-level member: its name and, for a string, its value (null for any other value). */
    record Member(String name, String stringValue, String kind) {}

    private final String text;
    private int at;

    private JsonObjectReader(String text) {
        this.text = text;
    }

    /**
     * The members of the object {@code text} holds, in order; empty for a JSON {@code null}.
     *
     * @throws IllegalArgumentException with the reason when the text is not one JSON object (or null)
     */
    static List<Member> members(String text) {
        JsonObjectReader reader = new JsonObjectReader(text);
        reader.whitespace();
        List<Member> members = new ArrayList<>();
        if (reader.text.startsWith("null", reader.at)) {
            reader.at += 4;
        } else {
            reader.expect('{');
            reader.whitespace();
            if (!reader.consume('}')) {
                do {
                    reader.whitespace();
                    String name = reader.string();
                    reader.whitespace();
                    reader.expect(':');
                    reader.whitespace();
                    int start = reader.at;
                    String kind = reader.value(1);
                    String value = kind.equals("string") ? unquoted(reader.text.substring(start, reader.at)) : null;
                    members.add(new Member(name, value, kind));
                    reader.whitespace();
                } while (reader.consume(','));
                reader.expect('}');
            }
        }
        reader.whitespace();
        if (reader.at != reader.text.length()) {
            throw reader.error("invalid character after top-level value");
        }
        return members;
    }

    private static String unquoted(String quoted) {
        return new JsonObjectReader(quoted).string();
    }

    /** Skips one value; returns its kind as Go names it in errors (string, number, bool, object, array, null). */
    private String value(int depth) {
        if (depth > DEPTH_MAX) {
            throw error("exceeded max depth");
        }
        if (at >= text.length()) {
            throw error("unexpected end of JSON input");
        }
        char c = text.charAt(at);
        switch (c) {
            case '"' -> {
                string();
                return "string";
            }
            case '{' -> {
                at++;
                whitespace();
                if (!consume('}')) {
                    do {
                        whitespace();
                        string();
                        whitespace();
                        expect(':');
                        whitespace();
                        value(depth + 1);
                        whitespace();
                    } while (consume(','));
                    expect('}');
                }
                return "object";
            }
            case '[' -> {
                at++;
                whitespace();
                if (!consume(']')) {
                    do {
                        whitespace();
                        value(depth + 1);
                        whitespace();
                    } while (consume(','));
                    expect(']');
                }
                return "array";
            }
            default -> {
                for (String literal : new String[] {"true", "false", "null"}) {
                    if (text.startsWith(literal, at)) {
                        at += literal.length();
                        return literal.equals("null") ? "null" : "bool";
                    }
                }
                number();
                return "number";
            }
        }
    }

    private void number() {
        int start = at;
        consume('-');
        if (consume('0')) {
            // a leading zero stands alone
        } else if (digits() == 0) {
            throw error("invalid character looking for beginning of value");
        }
        if (consume('.') && digits() == 0) {
            throw error("invalid character in numeric literal");
        }
        if (consume('e') || consume('E')) {
            if (!consume('+')) {
                consume('-');
            }
            if (digits() == 0) {
                throw error("invalid character in exponent of numeric literal");
            }
        }
        if (at == start) {
            throw error("invalid character looking for beginning of value");
        }
    }

    private int digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at - start;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unexpected end of JSON input");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("invalid character in string literal");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unexpected end of JSON input");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("unexpected end of JSON input");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("invalid character in \\u hexadecimal character escape");
                    }
                    at += 4;
                }
                default -> throw error("invalid character in string escape code");
            }
        }
    }

    private void whitespace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private boolean consume(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (at >= text.length()) {
            throw error("unexpected end of JSON input");
        }
        if (!consume(c)) {
            throw error("invalid character '" + text.charAt(at) + "', expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at offset " + at);
    }
}
