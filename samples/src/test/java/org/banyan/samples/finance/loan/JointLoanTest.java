package org.banyan.samples.finance.loan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_C_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_C_USER;
import static org.banyan.samples.finance.FinanceLedger.BILLS;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_USER;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.banyan.crypto.SigningIdentity;
import org.banyan.protocol.policy.PolicyDsl;
import org.banyan.samples.finance.FinanceContractTest;
import org.banyan.samples.finance.FinanceLedger.Outcome;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.MetaDataKeys;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A joint loan's life on a real ledger: three banks co-fund loan L1 (shares 50/25/25 %, serviced by one of them),
 * confirm it, and receive the borrower's repayments split exactly until it is repaid; a second loan L2 serviced by
 * a bank that does not lend in it; the trail and positions as each party may read them; the key-level endorsement
 * policies on the committed keys; and every refusal.
 */
class JointLoanTest extends FinanceContractTest {
    private static final String SHARES = "{\"BankAMSP\": 5000, \"BankBMSP\": 2500, \"BankCMSP\": 2500}";
    /** Odd on purpose: 1,000,003 × 25 % is not whole, so the funded amounts show how rounding is settled. */
    private static final String PRINCIPAL = "1000003";

    @Test
    @Order(1)
    void anAdministratorNamesTheRegulatorOnce() {
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, SHARES), "joint loans are not initialized");
        refused(ledger.submit(BANK_A_USER, "loan:Initialize", "RegulatorMSP"),
                "Initialize needs an organisation's administrator");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "loan:Initialize", "Regulator MSP"), "the regulator's MSP ID");
        Outcome initialized = ok(ledger.submit(CENTRAL_BANK_ADMIN, "loan:Initialize", "RegulatorMSP"));
        assertThat(initialized.event().orElseThrow().getEventName()).isEqualTo("Initialize");
        assertThat(initialized.eventPayload()).isEqualTo("RegulatorMSP");
        refused(ledger.submit(BANK_A_ADMIN, "loan:Initialize", "BankAMSP"), "initialized already, with regulator "
                + "RegulatorMSP");
    }

    @Test
    @Order(2)
    void theLeadBanksAdministratorProposesWithSharesSummingToTenThousand() {
        refused(propose(BANK_A_USER, "L1", PRINCIPAL, SHARES), "needs an administrator of BankAMSP");
        refused(propose(CENTRAL_BANK_ADMIN, "L1", PRINCIPAL, SHARES),
                "CentralBankMSP has no share among [BankAMSP, BankBMSP, BankCMSP]");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 5000, \"BankBMSP\": 4999}"),
                "sum to exactly 10000 basis points, not 9999");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 5000, \"BankBMSP\": 5001}"), "not 10001");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 10000}"), "2 to 16 lending banks");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "[\"BankAMSP\", \"BankBMSP\"]"), "a JSON object");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 10000, \"BankBMSP\": 0}"),
                "the share of BankBMSP must be a whole number of basis points from 1 to 10000, not 0");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 5000.5, \"BankBMSP\": 4999.5}"),
                "not 5000.5");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": \"5000\", \"BankBMSP\": 5000}"),
                "not \"5000\"");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"BankAMSP\": 5000, \"BankAMSP\": 5000}"),
                "Duplicate field 'BankAMSP'");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "BankAMSP=5000"), "the shares must be JSON");
        refused(propose(BANK_A_ADMIN, "L1", PRINCIPAL, "{\"Bank A\": 5000, \"BankAMSP\": 5000}"),
                "a lending bank's MSP ID 'Bank A'");
        refused(propose(BANK_A_ADMIN, "L1", "0", SHARES), "the principal must be positive");
        refused(propose(BANK_A_ADMIN, "L1", "10.50", SHARES), "a whole number of minor units");
        refused(propose(BANK_A_ADMIN, "L1", "2", SHARES), "a principal of 2 gives BankCMSP nothing to fund");
        refused(propose(BANK_A_ADMIN, "L 1", PRINCIPAL, SHARES), "loan id 'L 1'");
        refused(ledger.submit(BANK_A_ADMIN, "loan:Propose", "L1", " ", "BankBMSP", PRINCIPAL, SHARES),
                "the borrower must be 1 to 256 characters");
        refused(ledger.submit(BANK_A_ADMIN, "loan:Propose", "L1", "Acme", "", PRINCIPAL, SHARES),
                "the servicing bank's MSP ID");

        Outcome proposed = ok(propose(BANK_A_ADMIN, "L1", PRINCIPAL, SHARES));
        assertThat(proposed.event().orElseThrow().getEventName()).isEqualTo("Propose");
        JsonNode loan = proposed.json();
        assertThat(proposed.eventPayload()).isEqualTo(proposed.payload());
        assertThat(loan.get("state").asText()).isEqualTo("PROPOSED");
        assertThat(loan.get("leadBank").asText()).isEqualTo("BankAMSP");
        assertThat(loan.get("outstanding").asLong()).isEqualTo(1_000_003);
        // 500,001.5 + 250,000.75 + 250,000.75: the floors leave 2 units, which go to the largest remainders.
        assertThat(lenders(loan, "funded")).containsExactly(500_001L, 250_001L, 250_001L);
        assertThat(banks(loan)).containsExactly("BankAMSP", "BankBMSP", "BankCMSP");
        assertThat(loan.get("lenders").findValuesAsText("confirmed")).containsExactly("true", "false", "false");
        refused(propose(BANK_A_ADMIN, "L1", "5", SHARES), "loan L1 exists");
    }

    @Test
    @Order(3)
    void everyCoLendersAdministratorConfirmsOnceAndTheLastMakesItActive() {
        refused(repay("L1", "100"), "loan L1 is PROPOSED, not ACTIVE");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "loan:Confirm", "L1"),
                "loan L1 is confirmed by its lenders [BankAMSP, BankBMSP, BankCMSP], not by CentralBankMSP");
        refused(ledger.submit(BANK_B_USER, "loan:Confirm", "L1"), "needs an administrator of BankBMSP");
        refused(ledger.submit(BANK_A_ADMIN, "loan:Confirm", "L1"), "BankAMSP has confirmed loan L1 already");
        refused(ledger.submit(BANK_B_ADMIN, "loan:Confirm", "L9"), "loan L9 does not exist");
        Outcome confirmed = ok(ledger.submit(BANK_B_ADMIN, "loan:Confirm", "L1"));
        assertThat(confirmed.event().orElseThrow().getEventName()).isEqualTo("Confirm");
        assertThat(confirmed.json().get("state").asText()).isEqualTo("PROPOSED");
        refused(ledger.submit(BANK_B_ADMIN, "loan:Confirm", "L1"), "BankBMSP has confirmed loan L1 already");
        Outcome activated = ok(ledger.submit(BANK_C_ADMIN, "loan:Confirm", "L1"));
        assertThat(activated.event().orElseThrow().getEventName()).isEqualTo("Confirm");
        assertThat(activated.eventPayload()).contains("\"state\":\"ACTIVE\"");
        refused(ledger.submit(BANK_C_ADMIN, "loan:Confirm", "L1"), "loan L1 is ACTIVE, not PROPOSED");
    }

    @Test
    @Order(4)
    void theServicingBankRecordsRepaymentsSplitExactlyByShare() {
        refused(ledger.submit(BANK_A_USER, "loan:Repay", "L1", "100"),
                "recording repayments of loan L1 is for BankBMSP, not BankAMSP");
        refused(repay("L1", "0"), "the repayment must be positive");
        refused(repay("L1", "1000004"), "a repayment of 1000004 is more than the 1000003 outstanding on loan L1");
        Outcome first = ok(repay("L1", "400000"));
        assertThat(first.event().orElseThrow().getEventName()).isEqualTo("Repay");
        assertThat(first.eventPayload()).isEqualTo(first.payload());
        JsonNode repayment = first.json().get("repayment");
        assertThat(repayment.get("sequence").asInt()).isEqualTo(1);
        assertThat(repayment.get("outstanding").asLong()).isEqualTo(600_003);
        assertThat(parts(repayment)).containsExactly(200_000L, 100_000L, 100_000L);
        assertThat(lenders(first.json().get("loan"), "received")).containsExactly(200_000L, 100_000L, 100_000L);
        // Single units go to whoever is furthest behind its share, not always to the same bank.
        assertThat(parts(ok(repay("L1", "1")).json().get("repayment"))).containsExactly(0L, 1L, 0L);
        assertThat(parts(ok(repay("L1", "1")).json().get("repayment"))).containsExactly(1L, 0L, 0L);
        assertThat(parts(ok(repay("L1", "1")).json().get("repayment"))).containsExactly(0L, 0L, 1L);
        assertThat(lenders(loan(REGULATOR_USER, "L1"), "received")).containsExactly(200_001L, 100_001L, 100_001L);
        assertThat(loan(REGULATOR_USER, "L1").get("outstanding").asLong()).isEqualTo(600_000);
    }

    @Test
    @Order(5)
    void aLoanIsReadByItsLendersItsServicingBankAndTheRegulatorOnly() {
        refused(ledger.evaluate(CENTRAL_BANK_USER, "loan:Loan", "L1"), "loan L1 is visible to its lenders "
                + "[BankAMSP, BankBMSP, BankCMSP], its servicing bank BankBMSP and the regulator, not to "
                + "CentralBankMSP");
        refused(ledger.evaluate(CENTRAL_BANK_USER, "loan:Trail", "L1"), "not to CentralBankMSP");
        for (SigningIdentity reader : List.of(BANK_A_USER, BANK_B_USER, BANK_C_USER, REGULATOR_USER)) {
            assertThat(loan(reader, "L1").get("repayments").asInt()).isEqualTo(4);
        }
        // L2: serviced by BankB, which does not lend in it.
        ok(ledger.submit(BANK_C_ADMIN, "loan:Propose", "L2", "Globex", "BankBMSP", "500000",
                "{\"BankCMSP\": 7000, \"BankAMSP\": 3000}"));
        refused(ledger.submit(BANK_B_ADMIN, "loan:Confirm", "L2"), "not by BankBMSP");
        ok(ledger.submit(BANK_A_ADMIN, "loan:Confirm", "L2"));
        assertThat(banks(loan(BANK_B_USER, "L2"))).containsExactly("BankCMSP", "BankAMSP");
        assertThat(parts(ok(repay("L2", "100000")).json().get("repayment"))).containsExactly(70_000L, 30_000L);
    }

    @Test
    @Order(6)
    void theTrailListsEveryRepaymentWithItsTransactionAndSplit() {
        JsonNode trail = ok(ledger.evaluate(BANK_C_USER, "loan:Trail", "L1")).json();
        assertThat(trail).hasSize(4);
        assertThat(trail.findValuesAsText("sequence")).containsExactly("1", "2", "3", "4");
        assertThat(trail.findValuesAsText("amount")).containsExactly("400000", "1", "1", "1");
        assertThat(trail.findValuesAsText("outstanding")).containsExactly("600003", "600002", "600001", "600000");
        for (JsonNode entry : trail) {
            assertThat(entry.get("txId").asText()).hasSize(64);
            assertThat(entry.get("timestamp").asText()).endsWith("Z");
            assertThat(parts(entry).stream().mapToLong(Long::longValue).sum()).isEqualTo(entry.get("amount").asLong());
        }
        assertThat(ok(ledger.evaluate(BANK_B_USER, "loan:Trail", "L2")).json()).hasSize(1);
    }

    @Test
    @Order(7)
    void aBanksPositionSumsItsLoansForItselfAndTheRegulator() {
        refused(ledger.evaluate(BANK_B_USER, "loan:Position", "BankAMSP"),
                "the position of BankAMSP is visible to BankAMSP and the regulator, not to BankBMSP");
        JsonNode position = ok(ledger.evaluate(BANK_A_USER, "loan:Position", "BankAMSP")).json();
        assertThat(position.get("received").asLong()).isEqualTo(200_001 + 30_000);
        assertThat(position.get("outstanding").asLong()).isEqualTo(300_000 + 120_000);
        assertThat(position.get("loans").findValuesAsText("loanId")).containsExactly("L1", "L2");
        assertThat(ok(ledger.evaluate(REGULATOR_USER, "loan:Position", "BankAMSP")).json()).isEqualTo(position);
        JsonNode none = ok(ledger.evaluate(CENTRAL_BANK_USER, "loan:Position", "CentralBankMSP")).json();
        assertThat(none.get("received").asLong()).isZero();
        assertThat(none.get("loans")).isEmpty();
    }

    @Test
    @Order(8)
    void theLastRepaymentPaysEveryLenderExactlyWhatItFunded() {
        Outcome last = ok(repay("L1", "600000"));
        JsonNode loan = last.json().get("loan");
        assertThat(loan.get("state").asText()).isEqualTo("REPAID");
        assertThat(loan.get("outstanding").asLong()).isZero();
        assertThat(parts(last.json().get("repayment"))).containsExactly(300_000L, 150_000L, 150_000L);
        assertThat(lenders(loan, "received")).isEqualTo(lenders(loan, "funded"));
        refused(repay("L1", "1"), "loan L1 is REPAID, not ACTIVE");
        JsonNode position = ok(ledger.evaluate(BANK_A_USER, "loan:Position", "BankAMSP")).json();
        assertThat(position.get("received").asLong()).isEqualTo(500_001 + 30_000);
        assertThat(position.get("outstanding").asLong()).isEqualTo(120_000);
    }

    @Test
    @Order(9)
    void everyKeyOfALoanNeedsEveryLendersPeerToChange() throws InvalidProtocolBufferException {
        String allThree = "AND('BankAMSP.peer', 'BankBMSP.peer', 'BankCMSP.peer')";
        assertThat(endorsementPolicy("loan:L1")).isEqualTo(allThree);
        assertThat(endorsementPolicy("loan-trail:L1:00001")).isEqualTo(allThree);
        assertThat(endorsementPolicy("loan-trail:L1:00005")).isEqualTo(allThree);
        assertThat(endorsementPolicy("loan-lender:BankCMSP:L1")).isEqualTo(allThree);
        assertThat(endorsementPolicy("loan:L2")).isEqualTo("AND('BankAMSP.peer', 'BankCMSP.peer')");
    }

    /** The key-level policy committed for {@code key}, in Fabric's policy syntax. */
    private String endorsementPolicy(String key) throws InvalidProtocolBufferException {
        var committed = ledger.committed(BILLS, key).orElseThrow(() -> new AssertionError(key + " not committed"));
        var policy = committed.metadata().get(MetaDataKeys.VALIDATION_PARAMETER.name());
        assertThat(policy).as("validation parameter of %s", key).isNotNull();
        return PolicyDsl.format(SignaturePolicyEnvelope.parseFrom(policy));
    }

    private Outcome propose(SigningIdentity lead, String loanId, String principal, String shares) {
        return ledger.submit(lead, "loan:Propose", loanId, "Acme Ltd", "BankBMSP", principal, shares);
    }

    private Outcome repay(String loanId, String amount) {
        return ledger.submit(BANK_B_USER, "loan:Repay", loanId, amount);
    }

    private JsonNode loan(SigningIdentity reader, String loanId) {
        return ok(ledger.evaluate(reader, "loan:Loan", loanId)).json();
    }

    private static List<String> banks(JsonNode loan) {
        return loan.get("lenders").findValuesAsText("bank");
    }

    /** One field of every lender, in the loan's order (lead bank first). */
    private static List<Long> lenders(JsonNode loan, String field) {
        return loan.get("lenders").findValues(field).stream().map(JsonNode::asLong).toList();
    }

    /** A repayment's parts in the order of the loan's lenders (its JSON object is sorted by MSP ID). */
    private List<Long> parts(JsonNode repayment) {
        JsonNode parts = repayment.get("parts");
        return banks(loan(REGULATOR_USER, repayment.get("loanId").asText())).stream()
                .map(bank -> parts.get(bank).asLong()).toList();
    }
}
