package org.banyan.samples.finance.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.AIRLINE_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.AIRLINE_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import org.banyan.samples.finance.FinanceContractTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A bank's points and an airline's miles on a real ledger: programmes, awards, a published rate, a customer's
 * exchange (both balances and the operators' position in one transaction), clearing the position in currency, and
 * every refusal.
 */
class PointsExchangeTest extends FinanceContractTest {
    @BeforeAll
    void setUp() {
        ledger.initialize();
        ok(ledger.submit(BANK_A_ADMIN, "points:Initialize", "currency"));
        openAccount(BANK_A_ADMIN, "banka-points", 1_000_000);
        openAccount(AIRLINE_ADMIN, "airline-settle", 0);
    }

    @Test
    @Order(1)
    void operatorsRegisterProgrammesAndAwardTheirMembersPoints() {
        refused(ledger.submit(BANK_A_USER, "points:RegisterProgramme", "BANKA", "BankA Rewards", "banka-points", "1"),
                "needs an administrator of BankAMSP");
        refused(ledger.submit(AIRLINE_ADMIN, "points:RegisterProgramme", "MILES", "Sky Miles", "banka-points", "2"),
                "settling through account banka-points");
        ok(ledger.submit(BANK_A_ADMIN, "points:RegisterProgramme", "BANKA", "BankA Rewards", "banka-points", "1"));
        ok(ledger.submit(AIRLINE_ADMIN, "points:RegisterProgramme", "MILES", "Sky Miles", "airline-settle", "2"));
        refused(ledger.submit(AIRLINE_ADMIN, "points:RegisterProgramme", "MILES", "Again", "airline-settle", "2"),
                "programme MILES exists");
        refused(ledger.submit(AIRLINE_USER, "points:Award", "BANKA", "cust-7", "100"),
                "awarding points of programme BANKA is for BankAMSP, not AirlineMSP");
        assertThat(ledger.submit(BANK_A_USER, "points:Award", "BANKA", "cust-7", "10000").payload()).isEqualTo("10000");
        assertThat(ok(ledger.submit(BANK_A_USER, "points:Redeem", "BANKA", "cust-7", "1000")).payload())
                .isEqualTo("9000");
        refused(ledger.submit(BANK_A_USER, "points:Redeem", "BANKA", "cust-7", "9001"),
                "member cust-7 has 9000 points of BANKA, less than 9001");
        refused(ledger.evaluate(AIRLINE_USER, "points:Balance", "BANKA", "cust-7"), "is for BankAMSP");
    }

    @Test
    @Order(2)
    void theReceivingOperatorPublishesTheRate() {
        refused(ledger.submit(BANK_A_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "1000"), "no rate");
        refused(ledger.submit(BANK_A_USER, "points:PublishRate", "BANKA", "MILES", "1", "4"),
                "publishing rates into programme MILES is for AirlineMSP");
        refused(ledger.submit(AIRLINE_USER, "points:PublishRate", "MILES", "MILES", "1", "1"), "between two");
        refused(ledger.submit(AIRLINE_USER, "points:PublishRate", "BANKA", "MILES", "1", "0"), "must be positive");
        ok(ledger.submit(AIRLINE_USER, "points:PublishRate", "BANKA", "MILES", "1", "4"));
    }

    @Test
    @Order(3)
    void aCustomerExchangesAtomicallyAndThePositionGrows() {
        refused(ledger.submit(AIRLINE_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "1000"),
                "exchanging points out of programme BANKA is for BankAMSP");
        refused(ledger.submit(BANK_A_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "3"), "buy no point");
        refused(ledger.submit(BANK_A_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "9004"), "less than 9004");
        JsonNode exchanged = ok(ledger.submit(BANK_A_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "4002"))
                .json();
        assertThat(exchanged.get("received").asLong()).isEqualTo(1000); // 4002 / 4, rounded down
        assertThat(exchanged.get("position").asLong()).isEqualTo(4002); // 4002 points at 1 minor unit each
        assertThat(ok(ledger.evaluate(BANK_A_USER, "points:Balance", "BANKA", "cust-7")).payload()).isEqualTo("4998");
        assertThat(ok(ledger.evaluate(AIRLINE_USER, "points:Balance", "MILES", "cust-7")).payload()).isEqualTo("1000");
        ok(ledger.submit(BANK_A_USER, "points:Exchange", "cust-7", "BANKA", "MILES", "998"));
        assertThat(ok(ledger.evaluate(AIRLINE_USER, "points:Position", "BANKA", "MILES")).payload()).isEqualTo("5000");
        refused(ledger.evaluate(BANK_B_USER, "points:Position", "BANKA", "MILES"), "is for their operators");
    }

    @Test
    @Order(4)
    void theGivingOperatorClearsThePositionInCurrency() {
        refused(ledger.submit(AIRLINE_USER, "points:Clear", "BANKA", "MILES"), "is for BankAMSP");
        assertThat(ok(ledger.submit(BANK_A_USER, "points:Clear", "BANKA", "MILES")).payload()).isEqualTo("5000");
        assertThat(balance(REGULATOR_USER, "airline-settle")).isEqualTo(5_000);
        assertThat(balance(REGULATOR_USER, "banka-points")).isEqualTo(995_000);
        assertThat(ok(ledger.evaluate(BANK_A_USER, "points:Position", "BANKA", "MILES")).payload()).isEqualTo("0");
        refused(ledger.submit(BANK_A_USER, "points:Clear", "BANKA", "MILES"), "nothing is owed");
    }
}
