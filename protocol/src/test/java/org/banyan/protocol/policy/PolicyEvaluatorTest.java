package org.banyan.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.protocol.policy.PolicyFixture.bytes;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.banyan.crypto.msp.ValidityTime;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.protocol.config.ChannelConfigs;
import org.banyan.protocol.config.Policies;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    private static final PolicyFixture F = PolicyFixture.INSTANCE;
    private static final Instant NOW = F.issuedAt().plus(Duration.ofDays(1));

    private static PolicyVerdict evaluate(String path, LocalSigningIdentity... identities) {
        return F.evaluator.evaluate(path, java.util.Arrays.stream(identities).map(PolicyFixture::bytes).toList(), NOW);
    }

    @Test
    void everyConfigPolicyIsCompiled() {
        assertThat(F.evaluator.paths()).contains("/Channel/Writers", "/Channel/Application/Writers",
                "/Channel/Application/Org1MSP/Writers", "/Channel/Application/Org3MSP/Endorsement",
                "/Channel/Orderer/BlockValidation", "/Channel/Orderer/Org2MSP/Admins");
    }

    @Test
    void aClientOfOrg1IsAChannelWriter() {
        for (String path : List.of("/Channel/Writers", "/Channel/Application/Writers", "/Channel/Application/Org1MSP/Writers")) {
            assertThat(evaluate(path, F.client(1))).as(path).isEqualTo(PolicyVerdict.satisfiedVerdict());
        }
        assertThat(evaluate("/Channel/Writers", F.client(3)).satisfied()).isTrue();
        assertThat(evaluate("/Channel/Writers", F.admin(2)).satisfied()).isTrue();
        assertThat(evaluate("/Channel/Writers", F.orderer(2)).satisfied()).isTrue();
    }

    @Test
    void aPeerIsAReaderButNoWriter() {
        // ChannelConfigs gives each organisation Writers = OR(admin, client, orderer), Readers adds peer.
        PolicyVerdict org = evaluate("/Channel/Application/Org1MSP/Writers", F.peer(1));
        assertThat(org.satisfied()).isFalse();
        assertThat(org.reason()).contains("Org1MSP.CLIENT").contains("WRONG_ROLE").contains("PEER");
        PolicyVerdict channel = evaluate("/Channel/Writers", F.peer(1));
        assertThat(channel.satisfied()).isFalse();
        assertThat(channel.reason()).startsWith("/Channel/Writers: ANY Writers: 0 of 2 sub-policies satisfied, 1 required")
                .contains("Application: ANY Writers").contains("Org2MSP: ").contains("Org1MSP is not Org2MSP");
        assertThat(evaluate("/Channel/Readers", F.peer(1)).satisfied()).isTrue();
        assertThat(evaluate("/Channel/Application/Org1MSP/Endorsement", F.peer(1)).satisfied()).isTrue();
        assertThat(evaluate("/Channel/Application/Org1MSP/Endorsement", F.client(1)).satisfied()).isFalse();
    }

    @Test
    void anIdentityOfAnMspOutsideTheChannelIsIgnoredWithAReason() {
        PolicyVerdict verdict = evaluate("/Channel/Writers", F.outsider());
        assertThat(verdict.satisfied()).isFalse();
        assertThat(verdict.reason()).contains("identity 0 is of MSP 'Org4MSP', not a member of the channel");
        // It does not spoil a set that is otherwise sufficient.
        assertThat(evaluate("/Channel/Writers", F.outsider(), F.client(2)).satisfied()).isTrue();
    }

    @Test
    void anExpiredCertificateSatisfiesNothing() {
        Instant later = NOW.plus(Duration.ofDays(4000));
        PolicyVerdict verdict = F.evaluator.evaluate("/Channel/Writers", List.of(bytes(F.client(1))), later);
        assertThat(verdict.satisfied()).isFalse();
        assertThat(verdict.reason()).contains("EXPIRED");
        Instant before = F.issuedAt().minus(Duration.ofDays(1));
        assertThat(F.evaluator.evaluate("/Channel/Writers", List.of(bytes(F.client(1))), before).reason())
                .contains("NOT_YET_VALID");
    }

    @Test
    void majorityOfThreeOrganisationsNeedsTwoAdmins() {
        // /Channel/Application/Admins is MAJORITY Admins over three organisations: 3/2 + 1 = 2.
        assertThat(evaluate("/Channel/Application/Admins", F.admin(1)).reason())
                .contains("MAJORITY Admins: 1 of 3 sub-policies satisfied, 2 required");
        assertThat(evaluate("/Channel/Application/Admins", F.admin(1), F.admin(3)).satisfied()).isTrue();
        assertThat(evaluate("/Channel/Application/Admins", F.admin(1), F.client(2), F.client(3)).satisfied()).isFalse();
        // /Channel/Admins is MAJORITY over Application and Orderer: 2/2 + 1 = 2, both groups.
        assertThat(evaluate("/Channel/Admins", F.admin(1), F.admin(3)).satisfied()).isTrue();
    }

    @Test
    void allOfThreeOrganisationsNeedsEveryOne() {
        PolicyEvaluator evaluator = F.evaluatorOf(withApplicationPolicy("AllWriters",
                Policies.implicitMeta(ImplicitMetaPolicy.Rule.ALL, "Writers")));
        List<ByteString> two = List.of(bytes(F.client(1)), bytes(F.admin(3)));
        PolicyVerdict verdict = evaluator.evaluate("/Channel/Application/AllWriters", two, NOW);
        assertThat(verdict.reason()).contains("ALL Writers: 2 of 3 sub-policies satisfied, 3 required")
                .contains("Org2MSP: ");
        List<ByteString> three = List.of(bytes(F.client(1)), bytes(F.orderer(2)), bytes(F.admin(3)));
        assertThat(evaluator.evaluate("/Channel/Application/AllWriters", three, NOW).satisfied()).isTrue();
    }

    @Test
    void aMissingSubPolicyCountsButNeverSatisfies() {
        PolicyEvaluator evaluator = F.evaluatorOf(withApplicationPolicy("AnyNothing",
                Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Nothing")));
        PolicyVerdict verdict = evaluator.evaluate("/Channel/Application/AnyNothing", List.of(bytes(F.admin(1))), NOW);
        assertThat(verdict.reason()).contains("0 of 3 sub-policies satisfied").contains("no policy Nothing in group Org1MSP");
    }

    @Test
    void implicitMetaWithoutChildGroupsIsSatisfiedByAnyone() {
        // Fabric: "In the special case that there are no policies, consider 0 to be a majority or any".
        ConfigGroup leaf = ConfigGroup.newBuilder()
                .putPolicies("Writers", configPolicy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ANY, "Writers")))
                .putPolicies("Admins", configPolicy(Policies.implicitMeta(ImplicitMetaPolicy.Rule.ALL, "Admins")))
                .build();
        PolicyEvaluator evaluator = F.evaluatorOf(Config.newBuilder().setChannelGroup(leaf).build());
        assertThat(evaluator.evaluate("/Channel/Writers", List.of(), NOW).satisfied()).isTrue();
        assertThat(evaluator.evaluate("/Channel/Admins", List.of(bytes(F.outsider())), NOW).satisfied()).isTrue();
    }

    @Test
    void anUnknownPathIsUnsatisfied() {
        assertThat(evaluate("/Channel/Application/Nobody", F.admin(1)).reason()).isEqualTo("no policy /Channel/Application/Nobody");
    }

    @Test
    void signedDataWithABadSignatureDoesNotCount() {
        ByteString data = ByteString.copyFromUtf8("payload");
        LocalSigningIdentity client = F.client(1);
        SignedData good = new SignedData(data, bytes(client), ByteString.copyFrom(client.sign(data.toByteArray())));
        SignedData forged = new SignedData(ByteString.copyFromUtf8("other"), bytes(client), good.signature());
        assertThat(F.evaluator.evaluateSignedData("/Channel/Writers", List.of(good), NOW).satisfied()).isTrue();
        PolicyVerdict verdict = F.evaluator.evaluateSignedData("/Channel/Writers", List.of(forged), NOW);
        assertThat(verdict.reason()).contains("identity 0 of Org1MSP: signature does not verify");
        // As Fabric, a failed copy does not mark the identity seen: a later good copy still counts.
        assertThat(F.evaluator.evaluateSignedData("/Channel/Writers", List.of(forged, good), NOW).satisfied()).isTrue();
    }

    @Test
    void duplicateIdentitiesCountOnce() {
        CompiledPolicy twoMembers = SignaturePolicies.compile(nOutOf(2, role(1, MSPRole.MSPRoleType.MEMBER),
                role(1, MSPRole.MSPRoleType.MEMBER)));
        Signers twice = Signers.of(List.of(bytes(F.client(1)), bytes(F.client(1))), F.registry, ValidityTime.at(NOW));
        assertThat(twice.size()).isEqualTo(1);
        assertThat(twoMembers.evaluate(twice).reason()).contains("2 of [Org1MSP.MEMBER, Org1MSP.MEMBER] satisfied by 1");
        assertThat(twoMembers.evaluate(Signers.of(List.of(bytes(F.client(1)), bytes(F.user(1, 2))), F.registry, ValidityTime.at(NOW)))
                .satisfied()).isTrue();
    }

    @Test
    void leavesAreMatchedGreedilyInOrderAsFabricDoes() {
        // 2 of [member, admin]: the member leaf takes the first valid identity. With the admin first, the admin
        // leaf finds only the client left and the policy fails — Fabric's cauthdsl gives the same answer.
        CompiledPolicy policy = SignaturePolicies.compile(nOutOf(2, role(1, MSPRole.MSPRoleType.MEMBER),
                role(1, MSPRole.MSPRoleType.ADMIN)));
        assertThat(policy.evaluate(Signers.of(List.of(bytes(F.client(1)), bytes(F.admin(1))), F.registry, ValidityTime.at(NOW)))
                .satisfied()).isTrue();
        assertThat(policy.evaluate(Signers.of(List.of(bytes(F.admin(1)), bytes(F.client(1))), F.registry, ValidityTime.at(NOW)))
                .satisfied()).isFalse();
    }

    @Test
    void anIdentityPrincipalMatchesExactlyThatIdentity() {
        MSPPrincipal principal = MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
                .setPrincipal(bytes(F.peer(2))).build();
        CompiledPolicy policy = SignaturePolicies.compile(SignaturePolicyEnvelope.newBuilder().addIdentities(principal)
                .setRule(SignaturePolicy.newBuilder().setSignedBy(0)).build());
        assertThat(policy.evaluate(Signers.of(List.of(bytes(F.peer(2))), F.registry, ValidityTime.at(NOW))).satisfied()).isTrue();
        assertThat(policy.evaluate(Signers.of(List.of(bytes(F.admin(2))), F.registry, ValidityTime.at(NOW))).satisfied()).isFalse();
        assertThat(policy.evaluate(Signers.of(List.of(bytes(F.peer(2))), F.registry, ValidityTime.at(NOW.plus(Duration.ofDays(4000)))))
                .reason()).contains("EXPIRED");
    }

    @Test
    void definitionsFabricRefusesAreRejectedAtCompileTime() {
        assertThatThrownBy(() -> SignaturePolicies.compile(SignaturePolicyEnvelope.newBuilder().addIdentities(role(1,
                MSPRole.MSPRoleType.MEMBER)).setRule(SignaturePolicy.newBuilder().setSignedBy(1)).build()))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("identity index out of range");
        assertThatThrownBy(() -> SignaturePolicies.compile(nOutOf(1, role(1, MSPRole.MSPRoleType.MEMBER)).toBuilder()
                .setVersion(1).build())).isInstanceOf(InvalidPolicyException.class).hasMessageContaining("version 1");
        Policy unknown = Policy.newBuilder().setType(Policy.PolicyType.MSP_VALUE).build();
        assertThatThrownBy(() -> F.evaluatorOf(withApplicationPolicy("Odd", unknown)))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("/Channel/Application/Odd");
    }

    /** {@code n} of the given principals, each used by one {@code signed_by} leaf. */
    static SignaturePolicyEnvelope nOutOf(int n, MSPPrincipal... principals) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder();
        SignaturePolicy.NOutOf.Builder gate = SignaturePolicy.NOutOf.newBuilder().setN(n);
        for (int i = 0; i < principals.length; i++) {
            envelope.addIdentities(principals[i]);
            gate.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        return envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(gate)).build();
    }

    static MSPPrincipal role(int org, MSPRole.MSPRoleType role) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier("Org" + org + "MSP").setRole(role).build().toByteString())
                .build();
    }

    private static Config withApplicationPolicy(String name, Policy policy) {
        Config raw = F.config.raw();
        ConfigGroup channel = raw.getChannelGroup();
        ConfigGroup application = channel.getGroupsOrThrow(ChannelConfigs.APPLICATION).toBuilder()
                .putPolicies(name, configPolicy(policy)).build();
        return raw.toBuilder().setChannelGroup(channel.toBuilder().putGroups(ChannelConfigs.APPLICATION, application))
                .build();
    }

    private static ConfigPolicy configPolicy(Policy policy) {
        return ConfigPolicy.newBuilder().setPolicy(policy).build();
    }
}
