package org.banyan.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.protocol.policy.PolicyFixture.bytes;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.protocol.config.ChannelConfigs;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PolicyDsl} against Fabric's own parser tests ({@code common/policydsl/policyparser_test.go}), re-expressed
 * as hand-built envelopes, plus golden bytes worked out from the protobuf wire format, every error path, the depth
 * bound and the formatter.
 */
class PolicyDslTest {
    private static final PolicyFixture F = PolicyFixture.INSTANCE;
    private static final Instant NOW = F.issuedAt().plus(Duration.ofDays(1));

    // --- Fabric's TestOutOf1 ... TestSecondPassBoundaryCheck ---

    @Test
    void outOfOneAndTwo() {
        assertThat(PolicyDsl.parse("OutOf(1, 'A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(1, signedBy(0), signedBy(1)), member("A"), member("B")));
        assertThat(PolicyDsl.parse("OutOf(2, 'A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(2, signedBy(0), signedBy(1)), member("A"), member("B")));
    }

    @Test
    void andIsAllOfItsArguments() {
        assertThat(PolicyDsl.parse("AND('A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(2, signedBy(0), signedBy(1)), member("A"), member("B")));
        assertThat(PolicyDsl.parse("AND('A.client', 'B.peer')")).isEqualTo(envelope(outOf(2, signedBy(0), signedBy(1)),
                role("A", MSPRoleType.CLIENT), role("B", MSPRoleType.PEER)));
    }

    @Test
    void orIsOneOfItsArguments() {
        assertThat(PolicyDsl.parse("OR('A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(1, signedBy(0), signedBy(1)), member("A"), member("B")));
    }

    /** Fabric's TestComplex1: the nested gate's principals are numbered before the outer gate's own. */
    @Test
    void nestedGatesTakeTheirIdentitiesFirst() {
        assertThat(PolicyDsl.parse("OR('A.member', AND('B.member', 'C.member'))")).isEqualTo(envelope(
                outOf(1, signedBy(2), outOf(2, signedBy(0), signedBy(1))), member("B"), member("C"), member("A")));
    }

    /** Fabric's TestComplex2: sibling gates in argument order. */
    @Test
    void siblingGatesInArgumentOrder() {
        assertThat(PolicyDsl.parse("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))")).isEqualTo(envelope(
                outOf(1, outOf(2, signedBy(0), signedBy(1)), outOf(1, signedBy(2), signedBy(3))),
                member("A"), member("B"), role("C", MSPRoleType.ADMIN), member("D")));
    }

    /** Our own, deeper: gates recursively first (innermost first), then each gate's principals left to right. */
    @Test
    void identityOrderIsPostOrderOverGatesThenOwnPrincipals() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(
                "OutOf(2, 'A.member', AND('B.peer', OR('C.admin', 'D.client')), 'E.orderer', OR('F.member'))");
        assertThat(parsed).isEqualTo(envelope(
                outOf(2, signedBy(4), outOf(2, signedBy(2), outOf(1, signedBy(0), signedBy(1))), signedBy(5),
                        outOf(1, signedBy(3))),
                role("C", MSPRoleType.ADMIN), role("D", MSPRoleType.CLIENT), role("B", MSPRoleType.PEER), member("F"),
                member("A"), role("E", MSPRoleType.ORDERER)));
    }

    @Test
    void mspIdsMayHaveDotsAndDashes() {
        assertThat(PolicyDsl.parse("OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member')")).isEqualTo(
                envelope(outOf(1, signedBy(0), signedBy(1), signedBy(2)), member("MSP"), member("MSP.WITH.DOTS"),
                        member("MSP-WITH-DASHES")));
        // The role is what follows the last dot.
        assertThat(PolicyDsl.parse("OR('A.peer.admin')"))
                .isEqualTo(envelope(outOf(1, signedBy(0)), role("A.peer", MSPRoleType.ADMIN)));
    }

    @Test
    void nodeOuRoles() {
        assertThat(PolicyDsl.parse("OR('A.peer', 'B.admin', 'C.orderer', 'D.client')")).isEqualTo(envelope(
                outOf(1, signedBy(0), signedBy(1), signedBy(2), signedBy(3)), role("A", MSPRoleType.PEER),
                role("B", MSPRoleType.ADMIN), role("C", MSPRoleType.ORDERER), role("D", MSPRoleType.CLIENT)));
    }

    @Test
    void thresholdMayBeAQuotedNumber() {
        SignaturePolicyEnvelope expected = envelope(outOf(1, signedBy(0), signedBy(1)), member("A"), member("B"));
        assertThat(PolicyDsl.parse("OutOf('1', 'A.member', 'B.member')")).isEqualTo(expected);
        assertThat(PolicyDsl.parse("OutOf(\"1\", 'A.member', 'B.member')")).isEqualTo(expected);
    }

    /** Fabric permits t = 0 (always satisfied) and t = rules + 1 (never satisfied: an immutable key). */
    @Test
    void thresholdBoundaries() {
        assertThat(PolicyDsl.parse("OutOf(0, 'A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(0, signedBy(0), signedBy(1)), member("A"), member("B")));
        assertThat(PolicyDsl.parse("OutOf(3, 'A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(3, signedBy(0), signedBy(1)), member("A"), member("B")));
        assertThat(PolicyDsl.parse("OutOf(-0, 'A.member')")).isEqualTo(envelope(outOf(0, signedBy(0)), member("A")));
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(-1, 'A.member', 'B.member')"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid t-out-of-n predicate, t -1, n 2");
        assertThatThrownBy(() -> PolicyDsl.parse("OutOf(4, 'A.member', 'B.member')"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid t-out-of-n predicate, t 4, n 2");
    }

    /**
     * Fabric does not deduplicate principals (its parser's "TODO: deduplicate principals"); Fabric-X's fork does,
     * and its bytes differ. A repeated principal is a new identity here, as on a Fabric peer.
     */
    @Test
    void repeatedPrincipalsAreNotDeduplicated() {
        assertThat(PolicyDsl.parse("AND('A.member', OR('B.member', 'A.member'))")).isEqualTo(envelope(
                outOf(2, signedBy(2), outOf(1, signedBy(0), signedBy(1))), member("B"), member("A"), member("A")));
        assertThat(PolicyDsl.parse("OR('A.member', 'A.member')").getIdentitiesCount()).isEqualTo(2);
    }

    /** Fabric's wide case (policyparser_deepnest_test.go): width is not limited by the depth bound. */
    @Test
    void aWidePolicyParses() {
        String policy = "OutOf(1" + ", 'A.member'".repeat(2000) + ")";
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(policy);
        assertThat(parsed.getIdentitiesCount()).isEqualTo(2000);
        assertThat(parsed.getRule().getNOutOf().getRulesCount()).isEqualTo(2000);
        assertThat(parsed.getRule().getNOutOf().getRules(1999).getSignedBy()).isEqualTo(1999);
    }

    // --- bytes ---

    /**
     * The brief's example, checked against bytes written out by hand from the wire format (field numbers of
     * common/policies.proto and msp/msp_principal.proto), not from this protobuf library: version 0 and the ROLE
     * classification are defaults and absent, {@code signed_by: 0} is present (a oneof member).
     */
    @Test
    void goldenBytesOfAnAndOfTwoPeers() {
        String expected = "120c" + "120a" + "0802" + "12020800" + "12020801" // rule: n_out_of{n: 2, rules: [0, 1]}
                + "1a0d" + "120b" + "0a074f7267314d5350" + "1003" // identity 0: ROLE {Org1MSP, PEER}
                + "1a0d" + "120b" + "0a074f7267324d5350" + "1003"; // identity 1: ROLE {Org2MSP, PEER}
        assertThat(hex(PolicyDsl.parse("AND('Org1MSP.peer','Org2MSP.peer')"))).isEqualTo(expected);
    }

    @Test
    void goldenBytesOfAnOrOfTwoMembers() {
        String expected = "120c120a08011202080012020801" + "1a0512030a0141" + "1a0512030a0142";
        assertThat(hex(PolicyDsl.parse("OR('A.member', 'B.member')"))).isEqualTo(expected);
    }

    // --- accepted spellings ---

    @ParameterizedTest
    @ValueSource(strings = {
        "OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')",
        "OUTOF(2,'Org1MSP.member','Org2MSP.member','Org3MSP.member')",
        "outof ( 2 , \"Org1MSP.member\" , \"Org2MSP.member\" , 'Org3MSP.member' )",
        " \t\r\nOutOf(\n  '2',\n  'Org1MSP.member',\n  'Org2MSP.member',\n  'Org3MSP.member'\n)\n",
    })
    void quotesWhitespaceAndKeywordCaseDoNotChangeTheEnvelope(String policy) {
        assertThat(PolicyDsl.parse(policy)).isEqualTo(envelope(outOf(2, signedBy(0), signedBy(1), signedBy(2)),
                member("Org1MSP"), member("Org2MSP"), member("Org3MSP")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AND", "And", "and"})
    void andSpellings(String and) {
        assertThat(PolicyDsl.parse(and + "('A.member')")).isEqualTo(envelope(outOf(1, signedBy(0)), member("A")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"OR", "Or", "or"})
    void orSpellings(String or) {
        assertThat(PolicyDsl.parse(or + "('A.member', 'B.member')"))
                .isEqualTo(envelope(outOf(1, signedBy(0), signedBy(1)), member("A"), member("B")));
    }

    // --- errors ---

    /** Each bad string and the start of its message (Fabric's words where Fabric has them). */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        ``                                    | Unexpected end of expression
        `  \t `                               | Unexpected end of expression
        OutOf()                               | expected at least two arguments to NOutOf. Given 0
        OutOf(1)                              | expected at least two arguments to NOutOf. Given 1
        AND()                                 | expected at least two arguments to NOutOf. Given 1
        Or( )                                 | expected at least two arguments to NOutOf. Given 1
        OutOf(true, 'A.member')               | unrecognized type, expected a number, got a gate true
        OutOf('A.member', 'B.member')         | unrecognized type, expected a number, got 'A.member'
        OutOf(1.5, 'A.member')                | unrecognized type, expected a number, got '1.5'
        OutOf(01, 'A.member')                 | unrecognized type, expected a number, got '01'
        OutOf(0x1, 'A.member')                | unrecognized type, expected a number, got '0x1'
        OutOf(+1, 'A.member')                 | unrecognized type, expected a number, got '+1'
        OutOf(' 1', 'A.member')               | unrecognized type, expected a number, got ' 1'
        OutOf(, 'A.member')                   | unrecognized type, expected a number, got ',
        OutOf(1, 2)                           | unrecognized type, expected a principal or a policy, got the number 2
        OutOf(-1, 'A.member', 'B.member')     | invalid t-out-of-n predicate, t -1, n 2
        OutOf(4, 'A.member', 'B.member')      | invalid t-out-of-n predicate, t 4, n 2
        OutOf(2147483648, 'A.member')         | invalid t-out-of-n predicate, t 2147483648, n 1
        OutOf(99999999999999999999, 'A.member') | invalid t-out-of-n predicate, t 99999999999999999999, n 1
        OR('A.member', Bmember)               | unrecognized token 'Bmember' in policy string
        OR('A.member', 'Bmember')             | unrecognized token 'Bmember' in policy string
        OR('A.superuser')                     | unrecognized token 'A.superuser' in policy string
        OR('A.MEMBER')                        | unrecognized token 'A.MEMBER' in policy string
        OR('A.Member')                        | unrecognized token 'A.Member' in policy string
        OR('.member')                         | unrecognized token '.member' in policy string
        OR('A.')                              | unrecognized token 'A.' in policy string
        OR('Org_1.member')                    | unrecognized token 'Org_1.member' in policy string
        OR(' A.member')                       | unrecognized token ' A.member' in policy string
        OR('A.member ')                       | unrecognized token 'A.member ' in policy string
        OR('A\\.member')                      | unrecognized token 'A\\.member' in policy string
        OR('')                                | unrecognized token '' in policy string
        OR(A.member)                          | unrecognized token 'A.member' in policy string
        NOPE('A.member')                      | unrecognized token 'NOPE' in policy string
        aNd('A.member')                       | unrecognized token 'aNd' in policy string
        Outof(1, 'A.member')                  | unrecognized token 'Outof' in policy string
        AND                                   | unrecognized token 'AND' in policy string
        AND 'A.member'                        | unrecognized token 'AND' in policy string
        AND('A.member                         | Unclosed string literal
        AND('A.member")                       | Unclosed string literal
        AND("A.member')                       | Unclosed string literal
        AND('A.member'                        | Unbalanced parenthesis
        AND('A.member', OR('B.member')        | Unbalanced parenthesis
        AND('A.member', 'B.member'))))        | Unbalanced parenthesis
        AND('A.member',)                      | expected a principal or a gate
        AND(,'A.member')                      | expected a principal or a gate
        AND('A.member',                       | Unexpected end of expression
        AND('A.member' 'B.member')            | expected ',' or ')' after an argument
        AND('A.member'; 'B.member')           | expected ',' or ')' after an argument
        AND('A.member') OR('B.member')        | invalid policy string
        AND('A.member') x                     | invalid policy string
        'A.member'                            | invalid policy string ''A.member''
        1                                     | invalid policy string '1'
        '1'                                   | invalid policy string ''1''
        (AND('A.member'))                     | invalid policy string
        """)
    void rejects(String policy, String messageStart) {
        assertThatThrownBy(() -> PolicyDsl.parse(policy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart).hasMessageContaining("(at offset ");
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> PolicyDsl.parse("AND('A.member', 'B.superuser')"))
                .hasMessageEndingWith("(at offset 16)");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('A.member', AND('B.member')"))
                .hasMessage("Unbalanced parenthesis: the '(' is never closed (at offset 2)");
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> PolicyDsl.parse(null)).isInstanceOf(NullPointerException.class);
    }

    // --- limits ---

    @Test
    void nestingUpToTheBoundParses() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse(nested("AND", PolicyDsl.GATE_DEPTH_MAX));
        assertThat(parsed.getIdentitiesCount()).isEqualTo(PolicyDsl.GATE_DEPTH_MAX);
        // The innermost gate's principal is identity 0; the root's is the last.
        assertThat(parsed.getRule().getNOutOf().getRules(0).getSignedBy()).isEqualTo(PolicyDsl.GATE_DEPTH_MAX - 1);
    }

    @Test
    void nestingBeyondTheBoundIsRejectedWithoutExhaustingTheStack() {
        for (int depth : List.of(PolicyDsl.GATE_DEPTH_MAX + 1, 5_000, 60_000)) {
            assertThatThrownBy(() -> PolicyDsl.parse(nested("OR", depth))).as("depth %d", depth)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("policy nests gates deeper than 64 levels");
        }
        assertThatThrownBy(() -> PolicyDsl.parse("AND(".repeat(100_000)))
                .hasMessageStartingWith("policy nests gates deeper than 64 levels");
        assertThatThrownBy(() -> PolicyDsl.parse("(".repeat(100_000))).hasMessageStartingWith("invalid policy string");
    }

    @Test
    void overlongStringsAreRejected() {
        String policy = "OR('A.member'" + " ".repeat(PolicyDsl.POLICY_CHARS_MAX) + ")";
        assertThatThrownBy(() -> PolicyDsl.parse(policy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("policy string of " + policy.length() + " characters");
        assertThatThrownBy(() -> PolicyDsl.parse("OR('" + "A".repeat(1_000_000) + ".member"))
                .hasMessageStartingWith("Unclosed string literal");
    }

    // --- evaluation through the channel's evaluator ---

    @Test
    void aParsedPolicyEvaluatesInAChannelConfiguration() {
        SignaturePolicyEnvelope parsed = PolicyDsl.parse("OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')");
        PolicyEvaluator evaluator = F.evaluatorOf(withApplicationPolicy("TwoPeers", parsed));
        String path = "/Channel/Application/TwoPeers";
        assertThat(evaluator.evaluate(path, List.of(bytes(F.peer(1)), bytes(F.peer(3))), NOW).satisfied()).isTrue();
        PolicyVerdict one = evaluator.evaluate(path, List.of(bytes(F.peer(1)), bytes(F.client(2))), NOW);
        assertThat(one.satisfied()).isFalse();
        assertThat(one.reason()).contains("2 of [Org1MSP.PEER, Org2MSP.PEER, Org3MSP.PEER] satisfied by 1");
    }

    /**
     * Fabric's evaluation is greedy: a leaf takes the first unused signer that satisfies it. So the order of the
     * principals matters, as Fabric's documentation warns (most privileged first).
     */
    @Test
    void principalOrderMattersToTheGreedyEvaluation() {
        Signers adminAndClient = Signers.of(List.of(bytes(F.admin(1)), bytes(F.client(1))), F.registry,
                ValidityTime.at(NOW));
        assertThat(SignaturePolicies.compile(PolicyDsl.parse("AND('Org1MSP.member', 'Org1MSP.admin')"))
                .isSatisfiedBy(adminAndClient)).isFalse();
        assertThat(SignaturePolicies.compile(PolicyDsl.parse("AND('Org1MSP.admin', 'Org1MSP.member')"))
                .isSatisfiedBy(adminAndClient)).isTrue();
    }

    // --- format ---

    @Test
    void formatWritesFabricConfigsForm() {
        assertThat(PolicyDsl.format(PolicyDsl.parse(
                "OutOf(2, 'A.member', and('B.peer', Or('C.admin', \"D.client\")), 'E.orderer', OR('F.member'))")))
                .isEqualTo("OUTOF(2, 'A.member', AND('B.peer', OR('C.admin', 'D.client')), 'E.orderer', AND('F.member'))");
        assertThat(PolicyDsl.format(PolicyDsl.parse("OutOf(0,'A.member','B.member')")))
                .isEqualTo("OUTOF(0, 'A.member', 'B.member')");
        assertThat(PolicyDsl.format(PolicyDsl.parse("OutOf(3,'A.member','B.member')")))
                .isEqualTo("OUTOF(3, 'A.member', 'B.member')");
        assertThat(PolicyDsl.format(PolicyDsl.parse("OutOf(1,'A.member','B.member')"))).isEqualTo("OR('A.member', 'B.member')");
    }

    @Test
    void formatAcceptsSharedIdentitiesAndABareSignedBy() {
        // As Fabric-X's deduplicating parser would write AND('A.member', OR('B.member', 'A.member')).
        SignaturePolicyEnvelope shared = envelope(outOf(2, signedBy(1), outOf(1, signedBy(0), signedBy(1))),
                member("B"), member("A"));
        assertThat(PolicyDsl.format(shared)).isEqualTo("AND('A.member', OR('B.member', 'A.member'))");
        assertThat(PolicyDsl.format(envelope(signedBy(1), member("A"), member("B")))).isEqualTo("AND('B.member')");
    }

    @Test
    void formatRejectsWhatTheSyntaxCannotSay() {
        SignaturePolicy twoOfA = outOf(2, signedBy(0));
        MSPPrincipal identity = MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
                .setPrincipal(ByteString.copyFromUtf8("cert")).build();
        MSPPrincipal unknownRole = MSPPrincipal.newBuilder()
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier("A").setRoleValue(9).build().toByteString()).build();
        List<SignaturePolicyEnvelope> bad = List.of(
                envelope(twoOfA, member("A")).toBuilder().setVersion(1).build(),
                SignaturePolicyEnvelope.newBuilder().addIdentities(member("A")).build(),
                envelope(outOf(1)),
                envelope(outOf(-1, signedBy(0)), member("A")),
                envelope(outOf(3, signedBy(0)), member("A")),
                envelope(outOf(1, signedBy(1)), member("A")),
                envelope(outOf(1, SignaturePolicy.getDefaultInstance()), member("A")),
                envelope(outOf(1, signedBy(0)), identity),
                envelope(outOf(1, signedBy(0)), unknownRole),
                envelope(outOf(1, signedBy(0)), member("Org_1")),
                envelope(outOf(1, signedBy(0)), MSPPrincipal.newBuilder()
                        .setPrincipal(ByteString.copyFrom(new byte[] {(byte) 0xff})).build()),
                nestedEnvelope(PolicyDsl.GATE_DEPTH_MAX + 1));
        for (SignaturePolicyEnvelope envelope : bad) {
            assertThatThrownBy(() -> PolicyDsl.format(envelope)).as("%s", envelope)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(PolicyDsl.format(nestedEnvelope(PolicyDsl.GATE_DEPTH_MAX)))
                .isEqualTo(PolicyDsl.format(PolicyDsl.parse(nested("AND", PolicyDsl.GATE_DEPTH_MAX))));
    }

    // --- helpers ---

    /** {@code GATE('A.member', GATE('A.member', ... 'A.member'))}, {@code depth} gates. */
    static String nested(String gate, int depth) {
        return (gate + "('A.member', ").repeat(depth - 1) + gate + "('A.member'" + ")".repeat(depth);
    }

    private static SignaturePolicyEnvelope nestedEnvelope(int depth) {
        SignaturePolicy rule = outOf(1, signedBy(0));
        for (int i = 1; i < depth; i++) {
            rule = outOf(2, signedBy(0), rule);
        }
        return envelope(rule, member("A"));
    }

    static SignaturePolicyEnvelope envelope(SignaturePolicy rule, MSPPrincipal... identities) {
        return SignaturePolicyEnvelope.newBuilder().setRule(rule).addAllIdentities(List.of(identities)).build();
    }

    static SignaturePolicy signedBy(int index) {
        return SignaturePolicy.newBuilder().setSignedBy(index).build();
    }

    static SignaturePolicy outOf(int n, SignaturePolicy... rules) {
        return SignaturePolicy.newBuilder()
                .setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n).addAllRules(List.of(rules))).build();
    }

    static MSPPrincipal member(String mspId) {
        return role(mspId, MSPRoleType.MEMBER);
    }

    static MSPPrincipal role(String mspId, MSPRoleType role) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString())
                .build();
    }

    private static String hex(SignaturePolicyEnvelope envelope) {
        return HexFormat.of().formatHex(envelope.toByteArray());
    }

    private static Config withApplicationPolicy(String name, SignaturePolicyEnvelope envelope) {
        Policy policy = Policy.newBuilder().setType(Policy.PolicyType.SIGNATURE_VALUE).setValue(envelope.toByteString())
                .build();
        Config raw = F.config.raw();
        ConfigGroup channel = raw.getChannelGroup();
        ConfigGroup application = channel.getGroupsOrThrow(ChannelConfigs.APPLICATION).toBuilder()
                .putPolicies(name, ConfigPolicy.newBuilder().setPolicy(policy).setModPolicy("Admins").build()).build();
        return raw.toBuilder().setChannelGroup(channel.toBuilder().putGroups(ChannelConfigs.APPLICATION, application))
                .build();
    }
}
