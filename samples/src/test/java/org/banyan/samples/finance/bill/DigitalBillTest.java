package org.banyan.samples.finance.bill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.banyan.samples.finance.FinanceContractTest;
import org.banyan.samples.finance.FinanceLedger.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A bill's life on a real ledger, with the currency deployed as a second chaincode: issue, accept, sale and
 * discount paid in currency in the same transaction (delivery versus payment), endorsement, redemption at
 * maturity; and each refusal, with the bill and the balances checked to be as they were.
 */
class DigitalBillTest extends FinanceContractTest {
    @BeforeAll
    void setUp() {
        ok(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Initialize", "CentralBankMSP", "RegulatorMSP"));
        refused(ledger.submit(BANK_A_USER, "bill:Initialize", "currency"), "needs an organisation's administrator");
        ok(ledger.submit(CENTRAL_BANK_ADMIN, "bill:Initialize", "currency"));
        refused(ledger.submit(BANK_A_ADMIN, "bill:Initialize", "other"), "initialized already");
        openAccount(BANK_A_USER, "acme", 0);
        openAccount(BANK_A_USER, "poor", 100);
        openAccount(BANK_A_ADMIN, "banka-own", 100_000);
        openAccount(BANK_B_USER, "globex", 100_000);
        openAccount(BANK_B_ADMIN, "bankb-pay", 1_000_000);
    }

    @Test
    @Order(1)
    void theDrawersBankIssuesForTheDrawerOnly() {
        refused(ledger.submit(BANK_B_USER, "bill:Issue", "B1", "acme", "BankBMSP", "50000", "2024-06-30"),
                "issuing a bill for account acme");
        refused(ledger.submit(BANK_A_USER, "bill:Issue", "B1", "acme", "BankBMSP", "50000", "2020-01-01"),
                "must be after today");
        refused(ledger.submit(BANK_A_USER, "bill:Issue", "B1", "acme", "BankBMSP", "-1", "2024-06-30"),
                "must be positive");
        refused(ledger.submit(BANK_A_USER, "bill:Issue", "B1", "acme", "BankBMSP", "5", "30/06/2024"),
                "a date is yyyy-mm-dd");
        Outcome issued = ledger.submit(BANK_A_USER, "bill:Issue", "B1", "acme", "BankBMSP", "50000", "2024-06-30");
        ok(issued);
        assertThat(issued.event().orElseThrow().getEventName()).isEqualTo("Issue");
        assertThat(issued.json().get("state").asText()).isEqualTo("ISSUED");
        refused(ledger.submit(BANK_A_USER, "bill:Issue", "B1", "acme", "BankBMSP", "1", "2024-06-30"), "exists");
    }

    @Test
    @Order(2)
    void onlyTheAcceptorBanksAdministratorAcceptsAndAnUnacceptedBillDoesNotCirculate() {
        refused(ledger.submit(BANK_A_USER, "bill:Offer", "B1", "globex", "1", "TRANSFER"), "is ISSUED");
        refused(ledger.submit(BANK_B_USER, "bill:Accept", "B1", "bankb-pay"), "needs an administrator of BankBMSP");
        refused(ledger.submit(BANK_A_ADMIN, "bill:Accept", "B1", "banka-own"), "is for BankBMSP, not BankAMSP");
        refused(ledger.submit(BANK_B_ADMIN, "bill:Accept", "B1", "acme"), "paying bills from account acme");
        ok(ledger.submit(BANK_B_ADMIN, "bill:Accept", "B1", "bankb-pay"));
        refused(ledger.submit(BANK_B_ADMIN, "bill:Accept", "B1", "bankb-pay"), "is ACCEPTED, not ISSUED");
    }

    @Test
    @Order(3)
    void aSaleMovesTheBillAndThePaymentInOneTransaction() {
        refused(ledger.submit(BANK_B_USER, "bill:Offer", "B1", "globex", "48000", "TRANSFER"),
                "offering a bill held by account acme");
        refused(ledger.submit(BANK_A_USER, "bill:Offer", "B1", "globex", "60000", "TRANSFER"), "above the face value");
        refused(ledger.submit(BANK_A_USER, "bill:Offer", "B1", "globex", "1", "GIFT"), "TRANSFER or DISCOUNT");
        refused(ledger.submit(BANK_A_USER, "bill:Settle", "B1"), "not offered for sale");
        ok(ledger.submit(BANK_A_USER, "bill:Offer", "B1", "globex", "48000", "TRANSFER"));
        refused(ledger.submit(BANK_A_USER, "bill:Settle", "B1"), "buying a bill for account globex");
        Outcome settled = ledger.submit(BANK_B_USER, "bill:Settle", "B1");
        ok(settled);
        assertThat(settled.json().get("holder").asText()).isEqualTo("globex");
        assertThat(settled.json().get("offer").isNull()).isTrue();
        assertThat(balance("acme")).isEqualTo(48_000);
        assertThat(balance("globex")).isEqualTo(52_000);
        refused(ledger.submit(BANK_B_USER, "bill:Settle", "B1"), "not offered for sale");
    }

    @Test
    @Order(4)
    void aRefusedPaymentLeavesTheBillWhereItWas() {
        ok(ledger.submit(BANK_B_USER, "bill:Offer", "B1", "poor", "40000", "TRANSFER"));
        refused(ledger.submit(BANK_A_USER, "bill:Settle", "B1"),
                "refused: account poor holds 100, less than 40000");
        assertThat(bill("B1").get("holder").asText()).isEqualTo("globex");
        assertThat(balance("poor")).isEqualTo(100);
        assertThat(balance("globex")).isEqualTo(52_000);
        // The same with a frozen seller's account: the payment cannot land, so nothing moves.
        ok(ledger.submit(BANK_B_USER, "bill:Offer", "B1", "banka-own", "49000", "DISCOUNT"));
        ok(ledger.submit(REGULATOR_ADMIN, "currency:Freeze", "globex", "inquiry"));
        refused(ledger.submit(BANK_A_USER, "bill:Settle", "B1"), "account globex is frozen");
        assertThat(bill("B1").get("holder").asText()).isEqualTo("globex");
        assertThat(balance("banka-own")).isEqualTo(100_000);
        ok(ledger.submit(REGULATOR_ADMIN, "currency:Unfreeze", "globex"));
    }

    @Test
    @Order(5)
    void aBankDiscountsTheBillAndItCanBeEndorsedOn() {
        Outcome discounted = ledger.submit(BANK_A_ADMIN, "bill:Settle", "B1");
        ok(discounted);
        assertThat(discounted.event().orElseThrow().getEventName()).isEqualTo("Settle");
        assertThat(balance("banka-own")).isEqualTo(51_000);
        assertThat(balance("globex")).isEqualTo(101_000);
        refused(ledger.submit(BANK_A_USER, "bill:Endorse", "B1", "banka-own"), "holds bill B1 already");
        ok(ledger.submit(BANK_A_USER, "bill:Endorse", "B1", "acme"));
        ok(ledger.submit(BANK_A_USER, "bill:Endorse", "B1", "banka-own"));
    }

    @Test
    @Order(6)
    void atMaturityTheAcceptorPaysTheHolder() {
        refused(ledger.submit(BANK_B_USER, "bill:Redeem", "B1"), "matures on 2024-06-30, not yet");
        ledger.clockAt(Instant.parse("2024-07-01T09:00:00Z"));
        refused(ledger.submit(BANK_A_USER, "bill:Offer", "B1", "globex", "1", "TRANSFER"), "has matured");
        refused(ledger.submit(BANK_A_USER, "bill:Redeem", "B1"), "redeeming bill B1 is for BankBMSP");
        Outcome redeemed = ledger.submit(BANK_B_USER, "bill:Redeem", "B1");
        ok(redeemed);
        assertThat(redeemed.json().get("state").asText()).isEqualTo("REDEEMED");
        assertThat(balance("banka-own")).isEqualTo(101_000);
        assertThat(balance("bankb-pay")).isEqualTo(950_000);
        refused(ledger.submit(BANK_B_USER, "bill:Redeem", "B1"), "is REDEEMED, not ACCEPTED");
    }

    @Test
    @Order(7)
    void theBillKeepsItsWholeChainOfHolders() {
        JsonNode chain = bill("B1").get("chain");
        assertThat(chain).hasSize(4);
        assertThat(chain.get(0).get("from").asText()).isEqualTo("acme");
        assertThat(chain.get(0).get("kind").asText()).isEqualTo("TRANSFER");
        assertThat(chain.get(0).get("price").asLong()).isEqualTo(48_000);
        assertThat(chain.get(1).get("kind").asText()).isEqualTo("DISCOUNT");
        assertThat(chain.get(1).get("to").asText()).isEqualTo("banka-own");
        assertThat(chain.get(2).get("kind").asText()).isEqualTo("ENDORSE");
        assertThat(chain.get(3).get("to").asText()).isEqualTo("banka-own");
        assertThat(chain.get(0).get("txId").asText()).hasSize(64);
    }

    private JsonNode bill(String id) {
        Outcome bill = ledger.evaluate(REGULATOR_USER, "bill:Bill", id);
        ok(bill);
        return bill.json();
    }

    private long balance(String account) {
        return balance(REGULATOR_USER, account);
    }


}
