package org.banyan.protocol.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.banyan.crypto.Assert;
import org.hyperledger.fabric.protos.common.MSPRole;

/**
 * Recursive-descent parser of Fabric's signature-policy syntax into a small tree; {@link PolicyDsl} encodes the
 * tree. One instance per string, single-threaded. Recursion is one Java frame per gate and the nesting is capped
 * at {@link PolicyDsl#GATE_DEPTH_MAX}, so no string can exhaust the stack; every loop advances through the input,
 * whose length is capped at {@link PolicyDsl#POLICY_CHARS_MAX}.
 */
final class PolicyDslParser {
    /** A node of a parsed policy. */
    sealed interface Term permits Gate, Leaf {}

    /** {@code n} of the terms, in the order written; {@code n} is already checked against the terms. */
    record Gate(int n, List<Term> terms) implements Term {
        Gate {
            terms = List.copyOf(terms);
            Assert.that(!terms.isEmpty() && n >= 0 && n <= terms.size() + 1, "gate n=%d of %d", n, terms.size());
        }
    }

    /** A principal {@code 'MSPID.role'}. */
    record Leaf(String mspId, MSPRole.MSPRoleType role) implements Term {}

    private enum Keyword { AND, OR, OUT_OF }

    private final String text;
    private int pos;

    private PolicyDslParser(String text) {
        this.text = text;
    }

    /** Parses a whole policy: one gate, surrounded by optional whitespace. */
    static Gate parse(String text) {
        Objects.requireNonNull(text, "policy");
        if (text.length() > PolicyDsl.POLICY_CHARS_MAX) {
            throw new IllegalArgumentException("policy string of " + text.length() + " characters, at most "
                    + PolicyDsl.POLICY_CHARS_MAX + " are accepted");
        }
        PolicyDslParser parser = new PolicyDslParser(text);
        parser.skipSpace();
        if (parser.atEnd()) {
            // Fabric (govaluate): "Unexpected end of expression".
            throw parser.error(parser.pos, "Unexpected end of expression: the policy is empty");
        }
        if (!isLetter(parser.peek())) {
            throw parser.notAGate();
        }
        Gate root = parser.gate(1);
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.trailing();
        }
        return root;
    }

    /** A gate at nesting level {@code depth} (the root is 1): {@code NAME ( args )}. */
    private Gate gate(int depth) {
        int start = pos;
        String word = word();
        Keyword keyword = keyword(word, start);
        if (depth > PolicyDsl.GATE_DEPTH_MAX) {
            throw error(start, "policy nests gates deeper than " + PolicyDsl.GATE_DEPTH_MAX + " levels");
        }
        skipSpace();
        if (atEnd() || peek() != '(') {
            throw error(start, "unrecognized token '" + word + "' in policy string: a gate is written "
                    + word + "(...)");
        }
        int open = pos++;
        skipSpace();
        if (!atEnd() && peek() == ')') {
            // AND and OR pass their argument count to OutOf, so AND() is OutOf with one argument (Fabric's words).
            throw error(open, tooFew(keyword == Keyword.OUT_OF ? 0 : 1));
        }
        Threshold threshold = keyword == Keyword.OUT_OF ? threshold() : null;
        List<Term> terms = new ArrayList<>();
        if (threshold == null) {
            terms.add(term(depth));
        }
        while (closeOrNext(open)) {
            terms.add(term(depth));
        }
        return new Gate(n(keyword, threshold, terms, open), terms);
    }

    /** After an argument: true at {@code ,} (another argument follows), false at {@code )} (consumed). */
    private boolean closeOrNext(int open) {
        skipSpace();
        if (atEnd()) {
            throw error(open, "Unbalanced parenthesis: the '(' is never closed");
        }
        char c = text.charAt(pos);
        if (c == ')') {
            pos++;
            return false;
        }
        if (c != ',') {
            throw error(pos, "expected ',' or ')' after an argument, found " + describeAt(pos));
        }
        pos++;
        skipSpace();
        return true;
    }

    private int n(Keyword keyword, Threshold threshold, List<Term> terms, int open) {
        return switch (keyword) {
            case AND -> terms.size();
            case OR -> 1;
            case OUT_OF -> {
                if (terms.isEmpty()) {
                    throw error(open, tooFew(1));
                }
                // Fabric allows 0 (always satisfied) up to one more than the rules (never satisfied: the idiom
                // for an immutable key).
                if (threshold.value() < 0 || threshold.value() > terms.size() + 1) {
                    throw error(threshold.offset(), "invalid t-out-of-n predicate, t " + threshold.text() + ", n "
                            + terms.size());
                }
                yield (int) threshold.value();
            }
        };
    }

    /** One argument of a gate: a quoted principal or a nested gate. */
    private Term term(int depth) {
        if (atEnd()) {
            throw error(pos, "Unexpected end of expression: expected a principal or a gate");
        }
        char c = peek();
        if (c == '\'' || c == '"') {
            return leaf();
        }
        if (isLetter(c)) {
            return gate(depth + 1);
        }
        if (isDigit(c) || c == '-') {
            int start = pos;
            throw error(start, "unrecognized type, expected a principal or a policy, got the number " + word());
        }
        throw error(pos, "expected a principal or a gate, found " + describeAt(pos));
    }

    private Leaf leaf() {
        int start = pos;
        String token = quoted();
        int dot = token.lastIndexOf('.');
        MSPRole.MSPRoleType role = dot < 0 ? null : role(token.substring(dot + 1));
        String mspId = dot < 0 ? "" : token.substring(0, dot);
        if (role == null || !PolicyDsl.isMspId(mspId)) {
            // Fabric's message for a string that is not ORG.ROLE (policyparser.go's regex failed on it).
            throw error(start, "unrecognized token '" + token + "' in policy string: a principal is 'MSPID.ROLE'"
                    + " with MSPID of letters, digits, '.' and '-' and ROLE one of member, admin, client, peer, orderer");
        }
        return new Leaf(mspId, role);
    }

    /** The t of OutOf: a decimal integer, bare or quoted (Fabric accepts {@code OutOf('1', ...)}). */
    private Threshold threshold() {
        int start = pos;
        char c = peek();
        String literal;
        if (c == '\'' || c == '"') {
            literal = quoted();
        } else if (isDigit(c) || c == '-' || c == '+') {
            literal = word();
        } else {
            String got = isLetter(c) ? "a gate " + word() : describeAt(pos);
            throw error(start, "unrecognized type, expected a number, got " + got + ": OutOf's first argument is t");
        }
        if (!literal.matches("-?(0|[1-9][0-9]*)")) {
            throw error(start, "unrecognized type, expected a number, got '" + literal
                    + "': t is a decimal integer without sign, fraction or leading zero");
        }
        // More digits than a long holds are out of range whatever the rules; keep the text for the message.
        long value = literal.length() > 18 ? Long.MAX_VALUE : Long.parseLong(literal);
        return new Threshold(literal, value, start);
    }

    private record Threshold(String text, long value, int offset) {}

    /** The content of a string opened with ' or " and closed by the same character; no escapes. */
    private String quoted() {
        int start = pos;
        char quote = text.charAt(pos);
        int close = text.indexOf(quote, start + 1);
        if (close < 0) {
            throw error(start, "Unclosed string literal");
        }
        pos = close + 1;
        return text.substring(start + 1, close);
    }

    /** A run of characters up to whitespace, a quote, a parenthesis or a comma (a name, a number, a typo). */
    private String word() {
        int start = pos;
        while (!atEnd() && !isSpace(peek()) && "(),'\"".indexOf(peek()) < 0) {
            pos++;
        }
        Assert.that(pos > start, "word at %d is empty", start);
        return text.substring(start, pos);
    }

    /** Fabric registers each gate in three spellings: as written here, lower case and upper case. */
    private Keyword keyword(String word, int start) {
        return switch (word) {
            case "AND", "And", "and" -> Keyword.AND;
            case "OR", "Or", "or" -> Keyword.OR;
            case "OUTOF", "OutOf", "outof" -> Keyword.OUT_OF;
            default -> throw error(start, "unrecognized token '" + word + "' in policy string: gates are AND, OR"
                    + " and OutOf (each also all lower or all upper case), and principals are quoted, as 'Org1MSP.peer'");
        };
    }

    /** Roles are lower case, as in Fabric's principal regex. */
    private static MSPRole.MSPRoleType role(String name) {
        return switch (name) {
            case "member" -> MSPRole.MSPRoleType.MEMBER;
            case "admin" -> MSPRole.MSPRoleType.ADMIN;
            case "client" -> MSPRole.MSPRoleType.CLIENT;
            case "peer" -> MSPRole.MSPRoleType.PEER;
            case "orderer" -> MSPRole.MSPRoleType.ORDERER;
            default -> null;
        };
    }

    private static String tooFew(int given) {
        return "expected at least two arguments to NOutOf. Given " + given;
    }

    private IllegalArgumentException notAGate() {
        return error(pos, "invalid policy string '" + text.strip() + "': a policy is a gate, AND(...), OR(...) or"
                + " OutOf(n, ...), over quoted principals such as 'Org1MSP.peer'");
    }

    private IllegalArgumentException trailing() {
        if (peek() == ')') {
            return error(pos, "Unbalanced parenthesis: this ')' closes nothing");
        }
        return error(pos, "invalid policy string: " + describeAt(pos) + " after the end of the policy");
    }

    private IllegalArgumentException error(int offset, String message) {
        return new IllegalArgumentException(message + " (at offset " + offset + ")");
    }

    private String describeAt(int offset) {
        if (offset >= text.length()) {
            return "the end of the string";
        }
        int end = Math.min(text.length(), offset + 20);
        return "'" + text.substring(offset, end) + (end < text.length() ? "...'" : "'");
    }

    private void skipSpace() {
        while (!atEnd() && isSpace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    /** Space, tab, line feed and carriage return: whitespace for every Fabric version's lexer. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
