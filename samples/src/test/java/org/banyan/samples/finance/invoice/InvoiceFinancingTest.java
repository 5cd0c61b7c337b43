package org.banyan.samples.finance.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.banyan.samples.finance.FinanceContractTest;
import org.banyan.samples.finance.FinanceLedger.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Invoice financing on a real ledger with the currency as a second chaincode: register, confirm, finance once
 * (sale with the advance paid in the same transaction; a second sale or pledge refused; the same document refused
 * under another number), a pledge, payment at the due date to whoever is owed; every refusal.
 */
class InvoiceFinancingTest extends FinanceContractTest {
    private static final String DOC1 = "a".repeat(64);
    private static final String DOC2 = "b".repeat(64);

    @BeforeAll
    void setUp() {
        ledger.initialize();
        ok(ledger.submit(BANK_A_ADMIN, "invoice:Initialize", "currency"));
        refused(ledger.submit(BANK_A_ADMIN, "invoice:Initialize", "other"), "initialized already, in currency");
        openAccount(BANK_A_USER, "supplier", 0);
        openAccount(BANK_B_USER, "buyer", 200_000);
        openAccount(BANK_B_ADMIN, "factor-b", 100_000);
        openAccount(BANK_A_ADMIN, "factor-a", 100_000);
    }

    @Test
    @Order(1)
    void theSuppliersBankRegistersADocumentOnce() {
        refused(ledger.submit(BANK_B_USER, "invoice:Register", "I1", "supplier", "buyer", "90000", "2024-03-31", DOC1),
                "registering an invoice of account supplier");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "buyer", "90000", "2024-03-31",
                "not-a-hash"), "SHA-256 in hex");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "supplier", "1", "2024-03-31", DOC1),
                "different accounts");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "buyer", "0", "2024-03-31", DOC1),
                "must be positive");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "buyer", "1", "2023-01-01", DOC1),
                "must be after today");
        Outcome registered = ok(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "buyer", "90000",
                "2024-03-31", DOC1.toUpperCase()));
        assertThat(registered.json().get("state").asText()).isEqualTo("REGISTERED");
        assertThat(registered.event().orElseThrow().getEventName()).isEqualTo("Register");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1", "supplier", "buyer", "1", "2024-03-31", DOC2),
                "invoice I1 exists");
        refused(ledger.submit(BANK_A_USER, "invoice:Register", "I1-bis", "supplier", "buyer", "90000", "2024-03-31",
                DOC1), "this document is registered already, as invoice I1");
    }

    @Test
    @Order(2)
    void onlyTheBuyersBankConfirmsAndOnlyAConfirmedInvoiceIsFinanced() {
        refused(ledger.submit(BANK_B_ADMIN, "invoice:Finance", "I1", "factor-b", "80000", "SOLD"),
                "is REGISTERED, not CONFIRMED");
        refused(ledger.submit(BANK_A_USER, "invoice:Confirm", "I1"), "confirming an invoice owed by account buyer");
        ok(ledger.submit(BANK_B_USER, "invoice:Confirm", "I1"));
        refused(ledger.submit(BANK_B_USER, "invoice:Confirm", "I1"), "is CONFIRMED, not REGISTERED");
    }

    @Test
    @Order(3)
    void aSaleIsPaidInTheSameTransactionAndASecondSaleOrPledgeIsRefused() {
        refused(ledger.submit(BANK_B_ADMIN, "invoice:Finance", "I1", "factor-b", "80000", "GIFT"), "SOLD or PLEDGED");
        refused(ledger.submit(BANK_A_USER, "invoice:Finance", "I1", "factor-b", "80000", "SOLD"),
                "financing an invoice from account factor-b");
        refused(ledger.submit(BANK_B_ADMIN, "invoice:Finance", "I1", "factor-b", "95000", "SOLD"),
                "above the invoice's amount");
        refused(ledger.submit(BANK_B_ADMIN, "invoice:Finance", "I1", "factor-b", "150000", "SOLD"),
                "above the invoice's amount");
        Outcome sold = ok(ledger.submit(BANK_B_ADMIN, "invoice:Finance", "I1", "factor-b", "80000", "SOLD"));
        assertThat(sold.json().get("payee").asText()).isEqualTo("factor-b");
        assertThat(balance(REGULATOR_USER, "supplier")).isEqualTo(80_000);
        assertThat(balance(REGULATOR_USER, "factor-b")).isEqualTo(20_000);
        refused(ledger.submit(BANK_A_ADMIN, "invoice:Finance", "I1", "factor-a", "85000", "SOLD"),
                "is SOLD to factor-b already: it is financed once");
        refused(ledger.submit(BANK_A_ADMIN, "invoice:Finance", "I1", "factor-a", "50000", "PLEDGED"),
                "financed once");
        assertThat(balance(REGULATOR_USER, "factor-a")).isEqualTo(100_000);
    }

    @Test
    @Order(4)
    void aPledgeNeedsTheFinanciersFunds() {
        ok(ledger.submit(BANK_A_USER, "invoice:Register", "I2", "supplier", "buyer", "300000", "2024-03-31", DOC2));
        ok(ledger.submit(BANK_B_USER, "invoice:Confirm", "I2"));
        refused(ledger.submit(BANK_A_ADMIN, "invoice:Finance", "I2", "factor-a", "150000", "PLEDGED"),
                "refused: account factor-a holds 100000, less than 150000");
        assertThat(invoice("I2").get("state").asText()).isEqualTo("CONFIRMED");
        ok(ledger.submit(BANK_A_ADMIN, "invoice:Finance", "I2", "factor-a", "60000", "PLEDGED"));
        assertThat(invoice("I2").get("payee").asText()).isEqualTo("factor-a");
    }

    @Test
    @Order(5)
    void atTheDueDateTheBuyerPaysWhoeverIsOwed() {
        refused(ledger.submit(BANK_B_USER, "invoice:Pay", "I1"), "is due on 2024-03-31, not yet");
        ledger.clockAt(Instant.parse("2024-03-31T10:00:00Z"));
        refused(ledger.submit(BANK_A_ADMIN, "invoice:Finance", "I2", "factor-a", "1", "SOLD"), "financed once");
        refused(ledger.submit(BANK_A_USER, "invoice:Pay", "I1"), "paying an invoice owed by account buyer");
        ok(ledger.submit(BANK_B_USER, "invoice:Pay", "I1"));
        assertThat(balance(REGULATOR_USER, "factor-b")).isEqualTo(110_000);
        assertThat(balance(REGULATOR_USER, "buyer")).isEqualTo(110_000);
        refused(ledger.submit(BANK_B_USER, "invoice:Pay", "I1"), "is PAID; only a confirmed invoice is paid");
        // I2 is 300,000 and the buyer has 110,000 left: refused, and still owed to the pledgee.
        refused(ledger.submit(BANK_B_USER, "invoice:Pay", "I2"), "account buyer holds 110000, less than 300000");
        ok(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", "buyer", "190000"));
        ok(ledger.submit(BANK_B_USER, "invoice:Pay", "I2"));
        assertThat(balance(REGULATOR_USER, "factor-a")).isEqualTo(340_000);
        assertThat(invoice("I2").get("state").asText()).isEqualTo("PAID");
    }

    private JsonNode invoice(String id) {
        return ok(ledger.evaluate(REGULATOR_USER, "invoice:Invoice", id)).json();
    }
}
