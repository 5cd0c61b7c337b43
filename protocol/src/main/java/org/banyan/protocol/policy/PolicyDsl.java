package org.banyan.protocol.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.banyan.crypto.Assert;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Fabric's signature-policy syntax, as {@code peer lifecycle chaincode approveformyorg --signature-policy},
 * {@code configtxgen} ({@code Type: Signature} rules) and collection configurations accept it:
 * {@code AND('Org1MSP.peer', 'Org2MSP.peer')}, {@code OR(...)}, {@code OutOf(2, 'Org1MSP.member', ...)}, nested.
 *
 * <p>{@link #parse} gives exactly the envelope Fabric's {@code policydsl.FromString} gives for the same string,
 * so its encoding is byte-identical to Fabric's (lifecycle compares approved and committed definitions by their
 * bytes). In particular, as in Fabric: every principal written gets its own entry in {@code identities} (no
 * deduplication: {@code OR('A.member', 'A.member')} has two); a gate's nested gates are numbered before the gate's
 * own principals (Fabric evaluates a call's arguments before the call), so {@code OR('A.member', AND('B.member',
 * 'C.member'))} has identities B, C, A; {@code AND} is {@code n_out_of} with n = its argument count, {@code OR}
 * with n = 1; the envelope's version is 0. The accepted syntax and its differences from Fabric's are in
 * {@code docs/validation.md}, "Signature policies written as text". Stateless and thread-safe.
 */
public final class PolicyDsl {
    /**
     * Deepest nesting of gates accepted ({@code AND('A.member')} is depth 1), so that a hostile string cannot
     * exhaust the stack of the parser, the formatter or the evaluator. Fabric has no such bound.
     */
    public static final int GATE_DEPTH_MAX = 64;
    /** Longest policy string accepted, in UTF-16 characters (tens of thousands of principals). */
    public static final int POLICY_CHARS_MAX = 1 << 20;

    private PolicyDsl() {}

    /**
     * Parses a policy written in Fabric's syntax.
     *
     * @return the envelope Fabric's {@code FromString} returns for {@code policy}
     * @throws IllegalArgumentException when Fabric would refuse the string (an unknown gate or role, a malformed or
     *     unquoted principal, an unclosed quote or parenthesis, t of {@code OutOf} below 0 or above the number of
     *     its rules plus one, too few arguments, anything after the policy, an empty string) and for the few
     *     strings this parser refuses beyond Fabric (docs/validation.md); the message starts with Fabric's own
     *     where Fabric has one, and ends with the offset in {@code policy}
     */
    public static SignaturePolicyEnvelope parse(String policy) {
        PolicyDslParser.Gate root = PolicyDslParser.parse(policy);
        List<MSPPrincipal> identities = new ArrayList<>();
        SignaturePolicy rule = encode(root, identities);
        SignaturePolicyEnvelope envelope = SignaturePolicyEnvelope.newBuilder().setVersion(SignaturePolicies.VERSION)
                .setRule(rule).addAllIdentities(identities).build();
        Assert.that(envelope.getIdentitiesCount() == identities.size() && envelope.hasRule(), "encoded %s", policy);
        return envelope;
    }

    /**
     * Writes an envelope in the syntax, as Fabric's configuration tooling ({@code fabric-config}) renders a
     * signature policy: {@code AND(...)} when n equals the number of rules, else {@code OR(...)} when n is 1, else
     * {@code OUTOF(n, ...)}; arguments separated by {@code ", "}; principals as {@code 'MSPID.role'}. A root that
     * is a single {@code signed_by} is written as {@code AND('MSPID.role')}, its equivalent.
     *
     * <p>{@code parse(format(e))} accepts exactly the signer sets {@code e} accepts, and equals {@code e} when
     * {@code e} came from {@link #parse} (identities unused by the rule are not written; an envelope whose
     * identities are shared or ordered otherwise parses back to Fabric's layout of the same tree).
     *
     * @throws IllegalArgumentException when the envelope has no form in the syntax: a version other than 0, no
     *     rule, a gate without rules, n below 0 or above the rules plus one, a {@code signed_by} index outside the
     *     identities, a principal other than a ROLE of the five roles, an MSP ID with characters the syntax does
     *     not allow, or nesting deeper than {@link #GATE_DEPTH_MAX}
     */
    public static String format(SignaturePolicyEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.getVersion() != SignaturePolicies.VERSION) {
            throw new IllegalArgumentException("signature policy version " + envelope.getVersion() + " has no text form");
        }
        if (!envelope.hasRule()) {
            throw new IllegalArgumentException("signature policy has no rule");
        }
        StringBuilder out = new StringBuilder();
        SignaturePolicy root = envelope.getRule();
        if (root.getTypeCase() == SignaturePolicy.TypeCase.SIGNED_BY) {
            out.append("AND(");
            write(root, envelope.getIdentitiesList(), 1, out);
            out.append(')');
        } else {
            write(root, envelope.getIdentitiesList(), 1, out);
        }
        return out.toString();
    }

    /**
     * Encodes a gate as Fabric's parser does: it evaluates a call's arguments first, so every nested gate takes
     * its identities (in argument order, recursively) before this gate appends its own principals, in argument
     * order ({@code policyparser.go}, {@code secondPass}). Each principal is appended, never looked up.
     */
    private static SignaturePolicy encode(PolicyDslParser.Gate gate, List<MSPPrincipal> identities) {
        List<PolicyDslParser.Term> terms = gate.terms();
        SignaturePolicy[] rules = new SignaturePolicy[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) instanceof PolicyDslParser.Gate nested) {
                rules[i] = encode(nested, identities);
            }
        }
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) instanceof PolicyDslParser.Leaf leaf) {
                rules[i] = SignaturePolicy.newBuilder().setSignedBy(identities.size()).build();
                identities.add(principal(leaf.mspId(), leaf.role()));
            }
        }
        SignaturePolicy.NOutOf.Builder nOutOf = SignaturePolicy.NOutOf.newBuilder().setN(gate.n());
        for (SignaturePolicy rule : rules) {
            Assert.that(rule != null, "gate term neither gate nor principal");
            nOutOf.addRules(rule);
        }
        return SignaturePolicy.newBuilder().setNOutOf(nOutOf).build();
    }

    /** The ROLE principal Fabric builds for {@code 'mspId.role'}. */
    static MSPPrincipal principal(String mspId, MSPRole.MSPRoleType role) {
        MSPRole mspRole = MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build();
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(mspRole.toByteString()).build();
    }

    /** Fabric's MSP ID in a principal: {@code [[:alnum:].-]+}, ASCII letters and digits. */
    static boolean isMspId(String mspId) {
        if (mspId.isEmpty()) {
            return false;
        }
        for (int i = 0; i < mspId.length(); i++) {
            char c = mspId.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Writes a rule inside {@code depth - 1} gates. */
    private static void write(SignaturePolicy rule, List<MSPPrincipal> identities, int depth, StringBuilder out) {
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                int index = rule.getSignedBy();
                if (index < 0 || index >= identities.size()) {
                    throw new IllegalArgumentException("identity index out of range, requested " + index
                            + ", but identities length is " + identities.size());
                }
                out.append(principalText(identities.get(index)));
            }
            case N_OUT_OF -> writeGate(rule.getNOutOf(), identities, depth, out);
            case TYPE_NOT_SET -> throw new IllegalArgumentException("empty signature policy element");
        }
    }

    private static void writeGate(SignaturePolicy.NOutOf gate, List<MSPPrincipal> identities, int depth,
                                  StringBuilder out) {
        if (depth > GATE_DEPTH_MAX) {
            throw new IllegalArgumentException("signature policy nests gates deeper than " + GATE_DEPTH_MAX + " levels");
        }
        int rules = gate.getRulesCount();
        int n = gate.getN();
        if (rules == 0 || n < 0 || n > rules + 1) {
            throw new IllegalArgumentException("a gate of " + n + " out of " + rules + " rules has no text form");
        }
        if (n == rules) {
            out.append("AND(");
        } else if (n == 1) {
            out.append("OR(");
        } else {
            out.append("OUTOF(").append(n).append(", ");
        }
        for (int i = 0; i < rules; i++) {
            if (i > 0) {
                out.append(", ");
            }
            write(gate.getRules(i), identities, depth + 1, out);
        }
        out.append(')');
    }

    private static String principalText(MSPPrincipal principal) {
        if (principal.getPrincipalClassification() != MSPPrincipal.Classification.ROLE) {
            throw new IllegalArgumentException("a " + principal.getPrincipalClassification()
                    + " principal has no text form; only ROLE principals do");
        }
        MSPRole role;
        try {
            role = MSPRole.parseFrom(principal.getPrincipal());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ROLE principal is not an MSPRole", e);
        }
        String name = switch (role.getRole()) {
            case MEMBER -> "member";
            case ADMIN -> "admin";
            case CLIENT -> "client";
            case PEER -> "peer";
            case ORDERER -> "orderer";
            default -> throw new IllegalArgumentException("MSP role " + role.getRoleValue() + " has no text form");
        };
        if (!isMspId(role.getMspIdentifier())) {
            throw new IllegalArgumentException("MSP ID '" + role.getMspIdentifier() + "' has no text form: the syntax"
                    + " allows letters, digits, '.' and '-'");
        }
        return "'" + role.getMspIdentifier() + "." + name + "'";
    }
}
