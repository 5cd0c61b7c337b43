package org.banyan.samples.finance.currency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.banyan.crypto.SigningIdentity;
import org.banyan.samples.finance.FinanceLedger;
import org.banyan.samples.finance.FinanceLedger.Outcome;

/**
 * Random sequences of mints, burns, transfers, freezes and unfreezes against the contract on a real ledger, next to
 * a model of what each should do. Each operation must succeed exactly when the model allows it; afterwards every
 * balance equals the model's, none is negative, and the supply grew by exactly the sum of the balances (the
 * accounts are new in each try and start empty).
 */
class DigitalCurrencyProperties {
    /** Four accounts per try: two at bank A, one at bank B, the central bank's reserve (index 3). */
    private static final int ACCOUNTS = 4;
    private static final int RESERVE = 3;
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static FinanceLedger ledger;

    @BeforeContainer
    static void open() throws Exception {
        ledger = FinanceLedger.openInitialized();
    }

    @AfterContainer
    static void close() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** One operation; {@code a}/{@code b} index the try's accounts, {@code amount} in minor units. */
    record Op(String kind, int a, int b, long amount) {}

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<String> kinds = Arbitraries.of("Mint", "Mint", "Burn", "Transfer", "Transfer", "Transfer",
                "Freeze", "Unfreeze");
        Arbitrary<Integer> account = Arbitraries.integers().between(0, ACCOUNTS - 1);
        Arbitrary<Long> amount = Arbitraries.longs().between(1, 5_000);
        return Combinators.combine(kinds, account, account, amount).as(Op::new);
    }

    @Property(tries = 50)
    void supplyIsAlwaysTheSumOfBalancesAndNoBalanceGoesNegative(
            @ForAll @Size(min = 1, max = 20) List<@net.jqwik.api.From("operations") Op> ops) {
        String prefix = "t" + TRIES.incrementAndGet() + "-";
        List<SigningIdentity> banks = List.of(BANK_A_USER, BANK_A_USER, BANK_B_USER, CENTRAL_BANK_ADMIN);
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(ledger.submit(banks.get(i), "currency:OpenAccount", prefix + i, "holder " + i).ok()).isTrue();
        }
        long supplyBefore = supply();
        Map<Integer, Long> balances = new HashMap<>();
        Set<Integer> frozen = new HashSet<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            balances.put(i, 0L);
        }
        for (Op generated : ops) {
            // Half the burns aim at the reserve, the only account a burn may take from, so that some succeed.
            Op op = generated.kind().equals("Burn") && generated.b() % 2 == 0
                    ? new Op("Burn", RESERVE, generated.b(), generated.amount()) : generated;
            String a = prefix + op.a();
            String amount = Long.toString(op.amount());
            long balanceA = balances.get(op.a());
            Outcome outcome;
            boolean allowed;
            switch (op.kind()) {
                case "Mint" -> {
                    outcome = ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", a, amount);
                    allowed = !frozen.contains(op.a());
                    if (allowed) {
                        balances.put(op.a(), balanceA + op.amount());
                    }
                }
                case "Burn" -> {
                    outcome = ledger.submit(CENTRAL_BANK_ADMIN, "currency:Burn", a, amount);
                    allowed = op.a() == RESERVE && !frozen.contains(op.a()) && balanceA >= op.amount();
                    if (allowed) {
                        balances.put(op.a(), balanceA - op.amount());
                    }
                }
                case "Transfer" -> {
                    outcome = ledger.submit(banks.get(op.a()), "currency:Transfer", a, prefix + op.b(), amount);
                    allowed = op.a() != op.b() && !frozen.contains(op.a()) && !frozen.contains(op.b())
                            && balanceA >= op.amount();
                    if (allowed) {
                        balances.put(op.a(), balanceA - op.amount());
                        balances.put(op.b(), balances.get(op.b()) + op.amount());
                    }
                }
                case "Freeze" -> {
                    outcome = ledger.submit(REGULATOR_ADMIN, "currency:Freeze", a, "property test");
                    allowed = frozen.add(op.a());
                }
                default -> {
                    outcome = ledger.submit(REGULATOR_ADMIN, "currency:Unfreeze", a);
                    allowed = frozen.remove(op.a());
                }
            }
            assertThat(outcome.ok()).as("%s answered %d %s", op, outcome.status(), outcome.message())
                    .isEqualTo(allowed);
            Statistics.label("outcomes").collect(op.kind() + (allowed ? " done" : " refused"));
        }
        long sum = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            long balance = Long.parseLong(ledger.evaluate(REGULATOR_USER, "currency:Balance", prefix + i).payload());
            assertThat(balance).as("account %d", i).isEqualTo(balances.get(i)).isNotNegative();
            sum += balance;
        }
        assertThat(supply() - supplyBefore).isEqualTo(sum);
        Statistics.label("outcomes").coverage(coverage -> {
            coverage.check("Transfer done").count(n -> n > 0);
            coverage.check("Transfer refused").count(n -> n > 0);
            coverage.check("Burn done").count(n -> n > 0);
            coverage.check("Freeze done").count(n -> n > 0);
        });
    }

    private static long supply() {
        return Long.parseLong(ledger.evaluate(REGULATOR_USER, "currency:TotalSupply").payload());
    }
}
