package org.banyan.samples.finance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.banyan.crypto.SigningIdentity;
import org.banyan.samples.finance.FinanceLedger.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract's story on one {@link FinanceLedger} (not initialized), told in {@code @Order}ed steps that build on
 * each other, with the checks every step uses: it succeeded, or it was refused for the reason a client sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class FinanceContractTest {
    protected FinanceLedger ledger;

    @BeforeAll
    void openLedger(@TempDir Path dir) throws Exception {
        ledger = FinanceLedger.open(dir);
    }

    @AfterAll
    void closeLedger() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** Opens a currency account at {@code bank}'s organisation and mints {@code balance} into it. */
    protected void openAccount(SigningIdentity bank, String account, long balance) {
        ok(ledger.submit(bank, "currency:OpenAccount", account, account + " Ltd"));
        if (balance > 0) {
            ok(ledger.submit(FinanceLedger.CENTRAL_BANK_ADMIN, "currency:Mint", account, Long.toString(balance)));
        }
    }

    /** The account's balance as {@code reader} sees it. */
    protected long balance(SigningIdentity reader, String account) {
        Outcome balance = ledger.evaluate(reader, "currency:Balance", account);
        ok(balance);
        return Long.parseLong(balance.payload());
    }

    protected static Outcome ok(Outcome outcome) {
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(200);
        return outcome;
    }

    protected static void refused(Outcome outcome, String reason) {
        assertThat(outcome.status()).as(outcome.payload()).isEqualTo(500);
        assertThat(outcome.message()).contains(reason);
    }
}
