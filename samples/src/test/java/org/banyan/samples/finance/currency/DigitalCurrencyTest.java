package org.banyan.samples.finance.currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_USER;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import org.banyan.samples.finance.FinanceContractTest;
import org.banyan.samples.finance.FinanceLedger.Outcome;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The digital currency on a real ledger, in order: setting up, issuing, paying, the regulator's freeze, reading,
 * and every refusal with the reason a client sees. Each refusal is checked to have left the state as it was.
 */
class DigitalCurrencyTest extends FinanceContractTest {

    @Test
    @Order(1)
    void onlyTheCentralBanksAdministratorInitializesAndOnlyOnce() {
        refused(ledger.submit(BANK_A_ADMIN, "currency:Initialize", "CentralBankMSP", "RegulatorMSP"),
                "Initialize is for CentralBankMSP, not BankAMSP");
        refused(ledger.submit(CENTRAL_BANK_USER, "currency:Initialize", "CentralBankMSP", "RegulatorMSP"),
                "Initialize needs an administrator of CentralBankMSP");
        refused(ledger.submit(BANK_A_USER, "currency:OpenAccount", "a1", "Alice"), "the currency is not initialized");
        Outcome initialized = ledger.submit(CENTRAL_BANK_ADMIN, "currency:Initialize", "CentralBankMSP",
                "RegulatorMSP");
        assertThat(initialized.ok()).isTrue();
        assertThat(initialized.event().orElseThrow().getEventName()).isEqualTo("Initialize");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Initialize", "CentralBankMSP", "BankBMSP"),
                "initialized already");
        assertThat(supply()).isZero();
    }

    @Test
    @Order(2)
    void banksOpenAccountsForTheirCustomers() {
        Outcome opened = ledger.submit(BANK_A_USER, "currency:OpenAccount", "alice", "Alice Smith");
        assertThat(opened.ok()).isTrue();
        assertThat(opened.json().get("bank").asText()).isEqualTo("BankAMSP");
        assertThat(opened.json().get("balance").asLong()).isZero();
        assertThat(opened.event().orElseThrow().getEventName()).isEqualTo("OpenAccount");
        assertThat(ledger.submit(BANK_B_USER, "currency:OpenAccount", "bob", "Bob Jones").ok()).isTrue();
        assertThat(ledger.submit(CENTRAL_BANK_ADMIN, "currency:OpenAccount", "cb-reserve", "Central bank").ok())
                .isTrue();
        refused(ledger.submit(BANK_B_USER, "currency:OpenAccount", "alice", "Someone else"), "account alice exists");
        refused(ledger.submit(BANK_B_USER, "currency:OpenAccount", "bad id!", "X"), "must be 1 to 64 of");
        refused(ledger.submit(BANK_B_USER, "currency:OpenAccount", "carol", " "), "the holder must be");
    }

    @Test
    @Order(3)
    void theCentralBankMintsAndTheSupplyFollows() {
        assertThat(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "alice", "10000").ok()).isTrue();
        Outcome minted = ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "cb-reserve", "5000");
        assertThat(minted.event().orElseThrow().getEventName()).isEqualTo("Mint");
        assertThat(minted.json().get("balance").asLong()).isEqualTo(5000);
        assertThat(supply()).isEqualTo(15_000);
        refused(ledger.submit(BANK_A_ADMIN, "currency:Mint", "alice", "1"), "Mint is for CentralBankMSP");
        refused(ledger.submit(CENTRAL_BANK_USER, "currency:Mint", "alice", "1"), "needs an administrator");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "alice", "0"), "must be positive");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "alice", "-5"), "must be positive");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "alice", "1.5"), "whole number of minor units");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "nobody", "1"), "account nobody does not exist");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "alice", Long.toString(Long.MAX_VALUE)),
                "would exceed");
        assertThat(supply()).isEqualTo(15_000);
        assertThat(balance(BANK_A_USER, "alice")).isEqualTo(10_000);
    }

    @Test
    @Order(4)
    void theHoldingBankPaysAndNobodyElse() {
        Outcome paid = ledger.submit(BANK_A_USER, "currency:Transfer", "alice", "bob", "2500");
        assertThat(paid.ok()).isTrue();
        assertThat(paid.event().orElseThrow().getEventName()).isEqualTo("Transfer");
        assertThat(paid.json().get(0).get("balance").asLong()).isEqualTo(7_500);
        assertThat(paid.json().get(1).get("balance").asLong()).isEqualTo(2_500);
        refused(ledger.submit(BANK_B_USER, "currency:Transfer", "alice", "bob", "1"),
                "moving money out of alice is for BankAMSP, not BankBMSP");
        refused(ledger.submit(BANK_A_USER, "currency:Transfer", "alice", "bob", "7501"),
                "account alice holds 7500, less than 7501");
        refused(ledger.submit(BANK_A_USER, "currency:Transfer", "alice", "alice", "1"), "two different accounts");
        refused(ledger.submit(BANK_A_USER, "currency:Transfer", "alice", "nobody", "1"), "does not exist");
        assertThat(balance(BANK_A_USER, "alice")).isEqualTo(7_500);
        assertThat(balance(BANK_B_USER, "bob")).isEqualTo(2_500);
        assertThat(supply()).isEqualTo(15_000);
    }

    @Test
    @Order(5)
    void theCentralBankBurnsOnlyFromItsOwnAccounts() {
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Burn", "alice", "1"),
                "only from the central bank's own accounts");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Burn", "cb-reserve", "5001"), "less than 5001");
        assertThat(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Burn", "cb-reserve", "1000").ok()).isTrue();
        assertThat(supply()).isEqualTo(14_000);
        assertThat(balance(CENTRAL_BANK_USER, "cb-reserve")).isEqualTo(4_000);
    }

    @Test
    @Order(6)
    void theRegulatorFreezesAndNothingMovesUntilItUnfreezes() {
        refused(ledger.submit(BANK_A_ADMIN, "currency:Freeze", "bob", "why"), "Freeze is for RegulatorMSP");
        refused(ledger.submit(REGULATOR_USER, "currency:Freeze", "bob", "why"), "needs an administrator");
        refused(ledger.submit(REGULATOR_ADMIN, "currency:Freeze", "bob", ""), "a freeze needs a reason");
        Outcome frozen = ledger.submit(REGULATOR_ADMIN, "currency:Freeze", "bob", "court order 17");
        assertThat(frozen.ok()).isTrue();
        assertThat(frozen.event().orElseThrow().getEventName()).isEqualTo("Freeze");
        refused(ledger.submit(REGULATOR_ADMIN, "currency:Freeze", "bob", "again"), "frozen already");
        refused(ledger.submit(BANK_B_USER, "currency:Transfer", "bob", "alice", "1"),
                "account bob is frozen by the regulator: court order 17");
        refused(ledger.submit(BANK_A_USER, "currency:Transfer", "alice", "bob", "1"), "account bob is frozen");
        refused(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "bob", "1"), "account bob is frozen");
        assertThat(ledger.submit(REGULATOR_ADMIN, "currency:Unfreeze", "bob").ok()).isTrue();
        refused(ledger.submit(REGULATOR_ADMIN, "currency:Unfreeze", "bob"), "is not frozen");
        assertThat(ledger.submit(BANK_B_USER, "currency:Transfer", "bob", "alice", "500").ok()).isTrue();
        assertThat(balance(BANK_A_USER, "alice")).isEqualTo(8_000);
    }

    @Test
    @Order(7)
    void accountsAreVisibleToTheirBankTheCentralBankAndTheRegulatorOnly() {
        assertThat(balance(CENTRAL_BANK_USER, "alice")).isEqualTo(8_000);
        assertThat(balance(REGULATOR_USER, "alice")).isEqualTo(8_000);
        refused(ledger.evaluate(BANK_B_USER, "currency:Balance", "alice"),
                "visible to BankAMSP, the central bank and the regulator, not to BankBMSP");
        refused(ledger.evaluate(BANK_B_USER, "currency:Account", "alice"), "not to BankBMSP");
        refused(ledger.evaluate(BANK_B_USER, "currency:History", "alice"), "not to BankBMSP");
        JsonNode account = ledger.evaluate(REGULATOR_USER, "currency:Account", "bob").json();
        assertThat(account.get("holder").asText()).isEqualTo("Bob Jones");
        assertThat(account.get("frozen").asBoolean()).isFalse();
    }

    @Test
    @Order(8)
    void historyListsEveryCommittedStateOldestFirst() {
        JsonNode history = ledger.evaluate(REGULATOR_USER, "currency:History", "bob").json();
        // opened, paid 2500, frozen, unfrozen, paid out 500
        assertThat(history).hasSize(5);
        assertThat(history.get(0).get("account").get("balance").asLong()).isZero();
        assertThat(history.get(1).get("account").get("balance").asLong()).isEqualTo(2_500);
        assertThat(history.get(2).get("account").get("frozen").asBoolean()).isTrue();
        assertThat(history.get(2).get("account").get("frozenReason").asText()).isEqualTo("court order 17");
        assertThat(history.get(3).get("account").get("frozen").asBoolean()).isFalse();
        assertThat(history.get(4).get("account").get("balance").asLong()).isEqualTo(2_000);
        assertThat(history.get(0).get("txId").asText()).hasSize(64);
    }

    @Test
    @Order(9)
    void theSupplyIsTheSumOfTheBalances() {
        long sum = balance(BANK_A_USER, "alice") + balance(BANK_B_USER, "bob")
                + balance(CENTRAL_BANK_USER, "cb-reserve");
        assertThat(supply()).isEqualTo(sum).isEqualTo(14_000);
    }

    private long supply() {
        Outcome supply = ledger.evaluate(BANK_B_USER, "currency:TotalSupply");
        assertThat(supply.ok()).as(supply.message()).isTrue();
        return Long.parseLong(supply.payload());
    }


}
