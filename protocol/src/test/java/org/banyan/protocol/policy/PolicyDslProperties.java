package org.banyan.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.banyan.crypto.msp.ValidityTime;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * {@link PolicyDsl} against simple references: random policy trees, printed in every accepted spelling, parse to
 * the envelope a literal transcription of Fabric's parser builds; format and parse are inverse on the parser's
 * output; a parsed policy, compiled and evaluated on real generated identities, accepts exactly the signer sets a
 * direct (Fabric-greedy) evaluation of the tree accepts; and mangled strings only ever fail with
 * {@link IllegalArgumentException}.
 */
class PolicyDslProperties {
    private static final PolicyFixture F = PolicyFixture.INSTANCE;
    private static final Instant NOW = F.issuedAt().plus(Duration.ofDays(1));
    /** Per organisation in {@link PolicyFixture}: admin, peer, orderer, then the users (clients). */
    private static final int IDENTITIES_PER_ORG = 3 + PolicyFixture.USERS;
    private static final int TREE_DEPTH_MAX = 3;

    /** A policy as written: a gate over principals and gates. */
    sealed interface Tree permits Gate, Leaf {}

    enum Kind { AND, OR, OUT_OF }

    /** {@code n} is used for OUT_OF only. */
    record Gate(Kind kind, int n, List<Tree> children) implements Tree {
        int threshold() {
            return switch (kind) {
                case AND -> children.size();
                case OR -> 1;
                case OUT_OF -> n;
            };
        }
    }

    record Leaf(String mspId, MSPRoleType role) implements Tree {}

    // --- properties ---

    /** Every spelling of a tree parses to the envelope Fabric's algorithm builds, byte for byte. */
    @Property(tries = 500)
    void printedTreesParseToFabricsEnvelope(@ForAll("anyTrees") Gate tree, @ForAll long styleSeed) {
        String text = print(tree, new Random(styleSeed));
        SignaturePolicyEnvelope expected = FabricTranscription.fromTree(tree);
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(text);
        assertThat(parsed).as(text).isEqualTo(expected);
        assertThat(parsed.toByteString()).isEqualTo(expected.toByteString());
    }

    /** format is parse's inverse on parsed envelopes, and its output is a fixed point. */
    @Property(tries = 500)
    void formatAndParseAreInverse(@ForAll("anyTrees") Gate tree, @ForAll long styleSeed) {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(print(tree, new Random(styleSeed)));
        String formatted = PolicyDsl.format(parsed);
        assertThat(PolicyDsl.parse(formatted)).as(formatted).isEqualTo(parsed);
        assertThat(PolicyDsl.format(PolicyDsl.parse(formatted))).isEqualTo(formatted);
        assertThat(formatted).isEqualTo(print(tree, null));
    }

    /**
     * format depends on the rule tree only: renumbering the identities (any order, repeated principals shared, an
     * unused one added) writes the same text.
     */
    @Property(tries = 300)
    void formatIgnoresTheIdentityLayout(@ForAll("anyTrees") Gate tree, @ForAll long shuffleSeed) {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(print(tree, null));
        List<MSPPrincipal> distinct = new ArrayList<>(new LinkedHashSet<>(parsed.getIdentitiesList()));
        distinct.add(PolicyDslTest.member("Unused"));
        Collections.shuffle(distinct, new Random(shuffleSeed));
        SignaturePolicyEnvelope relaid = SignaturePolicyEnvelope.newBuilder()
                .setRule(renumber(parsed.getRule(), parsed.getIdentitiesList(), distinct))
                .addAllIdentities(distinct).build();
        assertThat(PolicyDsl.format(relaid)).isEqualTo(PolicyDsl.format(parsed));
    }

    /**
     * The parsed policy, compiled by {@link SignaturePolicies} and evaluated over {@link Signers} of really
     * generated identities (duplicates and identities of an MSP outside the channel included), agrees with a
     * direct evaluation of the tree. The reference uses Fabric's evaluation rule — each leaf takes the first unused
     * signer that satisfies it, each gate keeps the marks of the children that succeeded — so it checks that every
     * {@code signed_by} points at the principal written in its place and every gate has its n.
     */
    @Property(tries = 300)
    void parsedPoliciesAcceptWhatTheTreeAccepts(@ForAll("channelTrees") Gate tree,
                                                @ForAll @Size(max = 8) List<@IntRange(max = 4 * IDENTITIES_PER_ORG - 1) Integer> picks) {
        List<ByteString> identities = new ArrayList<>();
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int pick : picks) {
            int org = 1 + pick / IDENTITIES_PER_ORG;
            identities.add(PolicyFixture.bytes(F.channel.all(org).get(pick % IDENTITIES_PER_ORG)));
            if (org <= PolicyFixture.ORGS) { // Org4 is outside the channel: Signers drops it
                distinct.add(pick);
            }
        }
        String text = print(tree, null);
        CompiledPolicy compiled = SignaturePolicies.compile(PolicyDsl.parse(text));

        boolean actual = compiled.isSatisfiedBy(Signers.of(identities, F.registry, ValidityTime.at(NOW)));

        List<Integer> signers = List.copyOf(distinct);
        boolean expected = accepts(tree, signers, new boolean[signers.size()]);
        Statistics.label("accepted").collect(expected);
        assertThat(actual).as("%s signed by %s", text, signers).isEqualTo(expected);
    }

    /** Random edits of valid policies either parse (and then format round-trips) or fail with the typed error. */
    @Property(tries = 1000)
    void mangledPoliciesFailOnlyWithIllegalArgument(@ForAll("anyTrees") Gate tree, @ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(print(tree, random));
        String alphabet = "(),'\" \t.-0123456789ANDORutfmberpidlcn_;x";
        for (int edits = 1 + random.nextInt(3); edits > 0 && !text.isEmpty(); edits--) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        SignaturePolicyEnvelope parsed;
        try {
            parsed = PolicyDsl.parse(text.toString());
        } catch (IllegalArgumentException rejected) {
            assertThat(rejected.getMessage()).contains("(at offset ");
            return;
        }
        assertThat(PolicyDsl.parse(PolicyDsl.format(parsed))).isEqualTo(parsed);
    }

    // --- generators ---

    /** Trees over arbitrary MSP IDs of the syntax's alphabet. */
    @Provide
    Arbitrary<Gate> anyTrees() {
        Arbitrary<String> mspIds = Arbitraries.strings().withChars("ABCxyz019.-").ofMinLength(1).ofMaxLength(8);
        return gates(mspIds, TREE_DEPTH_MAX);
    }

    /** Trees over the fixture's channel MSPs, one outside the channel and one unknown. */
    @Provide
    Arbitrary<Gate> channelTrees() {
        return gates(Arbitraries.of("Org1MSP", "Org2MSP", "Org3MSP", "Org4MSP", "Org9MSP"), TREE_DEPTH_MAX);
    }

    private static Arbitrary<Gate> gates(Arbitrary<String> mspIds, int depth) {
        Arbitrary<List<Tree>> children = trees(mspIds, depth - 1).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(Kind.values()), Arbitraries.integers().between(0, 5), children)
                .as((kind, n, terms) -> new Gate(kind, n % (terms.size() + 2), terms));
    }

    private static Arbitrary<Tree> trees(Arbitrary<String> mspIds, int depth) {
        Arbitrary<Tree> leaf = Combinators.combine(mspIds, Arbitraries.of(roles())).as(Leaf::new);
        if (depth == 0) {
            return leaf;
        }
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, gates(mspIds, depth).map(gate -> (Tree) gate)));
    }

    private static List<MSPRoleType> roles() {
        return List.of(MSPRoleType.MEMBER, MSPRoleType.ADMIN, MSPRoleType.CLIENT, MSPRoleType.PEER, MSPRoleType.ORDERER);
    }

    // --- printing ---

    /**
     * Writes the tree in the syntax. With a random source: any keyword spelling Fabric registers, either quote,
     * whitespace of every kind between tokens, a quoted or bare threshold. Without: {@link PolicyDsl#format}'s
     * canonical form.
     */
    static String print(Tree tree, Random style) {
        StringBuilder out = new StringBuilder();
        out.append(space(style));
        write(tree, style, out);
        return out.append(space(style)).toString();
    }

    private static void write(Tree tree, Random style, StringBuilder out) {
        switch (tree) {
            case Leaf leaf -> {
                char quote = style != null && style.nextBoolean() ? '"' : '\'';
                out.append(quote).append(leaf.mspId()).append('.').append(leaf.role().name().toLowerCase())
                        .append(quote);
            }
            case Gate gate -> {
                out.append(keyword(gate, style)).append(space(style)).append('(').append(space(style));
                String separator = style == null ? ", " : space(style) + "," + space(style);
                if (style != null ? gate.kind() == Kind.OUT_OF : canonicalKind(gate) == Kind.OUT_OF) {
                    String n = Integer.toString(gate.threshold());
                    out.append(style != null && style.nextInt(4) == 0 ? "'" + n + "'" : n).append(separator);
                }
                for (int i = 0; i < gate.children().size(); i++) {
                    out.append(i > 0 ? separator : "");
                    write(gate.children().get(i), style, out);
                }
                out.append(space(style)).append(')');
            }
        }
    }

    private static String keyword(Gate gate, Random style) {
        if (style == null) {
            return canonicalKind(gate) == Kind.OUT_OF ? "OUTOF" : canonicalKind(gate).name();
        }
        List<String> spellings = switch (gate.kind()) {
            case AND -> List.of("AND", "And", "and");
            case OR -> List.of("OR", "Or", "or");
            case OUT_OF -> List.of("OUTOF", "OutOf", "outof");
        };
        return spellings.get(style.nextInt(spellings.size()));
    }

    /** fabric-config's choice: AND when n is the rule count, else OR when n is 1, else OUTOF. */
    private static Kind canonicalKind(Gate gate) {
        int n = gate.threshold();
        return n == gate.children().size() ? Kind.AND : n == 1 ? Kind.OR : Kind.OUT_OF;
    }

    private static String space(Random style) {
        if (style == null) {
            return "";
        }
        List<String> spaces = List.of("", "", "", " ", "  ", "\t", "\n", "\r\n ");
        return spaces.get(style.nextInt(spaces.size()));
    }

    // --- references ---

    /**
     * Fabric's {@code FromString} transcribed literally: {@code secondPass} is a function called with its
     * arguments already evaluated (nested calls return finished policies, principals stay strings), and it appends
     * an identity for each string argument as it meets it.
     */
    private static final class FabricTranscription {
        private final List<MSPPrincipal> principals = new ArrayList<>();

        static SignaturePolicyEnvelope fromTree(Gate root) {
            FabricTranscription context = new FabricTranscription();
            SignaturePolicy rule = context.call(root);
            return SignaturePolicyEnvelope.newBuilder().setVersion(0).setRule(rule).addAllIdentities(context.principals)
                    .build();
        }

        private SignaturePolicy call(Gate gate) {
            List<Object> arguments = new ArrayList<>();
            for (Tree child : gate.children()) {
                arguments.add(child instanceof Gate nested ? call(nested) : child);
            }
            return secondPass(gate.threshold(), arguments);
        }

        private SignaturePolicy secondPass(int t, List<Object> arguments) {
            List<SignaturePolicy> policies = new ArrayList<>();
            for (Object argument : arguments) {
                if (argument instanceof Leaf leaf) {
                    principals.add(PolicyDslTest.role(leaf.mspId(), leaf.role()));
                    policies.add(PolicyDslTest.signedBy(principals.size() - 1));
                } else {
                    policies.add((SignaturePolicy) argument);
                }
            }
            return PolicyDslTest.outOf(t, policies.toArray(SignaturePolicy[]::new));
        }
    }

    /** Fabric's greedy evaluation, on the tree and the fixture's identities (org * 7 + slot, channel orgs only). */
    private static boolean accepts(Tree tree, List<Integer> signers, boolean[] used) {
        return switch (tree) {
            case Leaf leaf -> {
                for (int i = 0; i < signers.size(); i++) {
                    if (!used[i] && satisfies(signers.get(i), leaf)) {
                        used[i] = true;
                        yield true;
                    }
                }
                yield false;
            }
            case Gate gate -> {
                int satisfied = 0;
                for (Tree child : gate.children()) {
                    boolean[] trial = used.clone();
                    if (accepts(child, signers, trial)) {
                        satisfied++;
                        System.arraycopy(trial, 0, used, 0, used.length);
                    }
                }
                yield satisfied >= gate.threshold();
            }
        };
    }

    private static boolean satisfies(int pick, Leaf leaf) {
        int org = 1 + pick / IDENTITIES_PER_ORG;
        int slot = pick % IDENTITIES_PER_ORG;
        if (!leaf.mspId().equals("Org" + org + "MSP")) {
            return false;
        }
        return switch (leaf.role()) {
            case MEMBER -> true;
            case ADMIN -> slot == 0;
            case PEER -> slot == 1;
            case ORDERER -> slot == 2;
            case CLIENT -> slot >= 3;
            default -> false;
        };
    }

    /** The rule with each {@code signed_by} pointing at the same principal's first position in {@code to}. */
    private static SignaturePolicy renumber(SignaturePolicy rule, List<MSPPrincipal> from, List<MSPPrincipal> to) {
        if (rule.getTypeCase() == SignaturePolicy.TypeCase.SIGNED_BY) {
            return PolicyDslTest.signedBy(to.indexOf(from.get(rule.getSignedBy())));
        }
        List<SignaturePolicy> rules = new ArrayList<>();
        rule.getNOutOf().getRulesList().forEach(child -> rules.add(renumber(child, from, to)));
        return PolicyDslTest.outOf(rule.getNOutOf().getN(), rules.toArray(SignaturePolicy[]::new));
    }
}
