package org.banyan.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Signers#peersOf}: planning with one hypothetical peer per organisation, before anyone has signed. */
class HypotheticalPeersTest {
    private final PolicyFixture fixture = PolicyFixture.INSTANCE;

    private boolean satisfied(String policy, String... mspIds) {
        return SignaturePolicies.compile(PolicyDsl.parse(policy))
                .evaluate(Signers.peersOf(List.of(mspIds), fixture.registry)).satisfied();
    }

    @Test
    void aPeerSatisfiesPeerAndMemberPrincipalsOfItsOwnOrganisationOnly() {
        assertThat(satisfied("AND('Org1MSP.peer','Org2MSP.member')", "Org1MSP", "Org2MSP")).isTrue();
        assertThat(satisfied("AND('Org1MSP.peer','Org2MSP.peer')", "Org1MSP")).isFalse();
        assertThat(satisfied("OR('Org1MSP.admin','Org1MSP.client')", "Org1MSP")).isFalse();
        assertThat(satisfied("OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')", "Org3MSP", "Org1MSP")).isTrue();
    }

    @Test
    void organisationsOutsideTheChannelAreDroppedWithANote() {
        Signers signers = Signers.peersOf(List.of("Org1MSP", "Org9MSP", "Org1MSP"), fixture.registry);
        assertThat(signers.size()).isEqualTo(1);
        assertThat(signers.dropped()).containsExactly("organisation Org9MSP is not a member of the channel");
    }
}
