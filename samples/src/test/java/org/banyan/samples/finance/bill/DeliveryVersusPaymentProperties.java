package org.banyan.samples.finance.bill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_A_USER;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.banyan.crypto.SigningIdentity;
import org.banyan.samples.finance.FinanceLedger;
import org.banyan.samples.finance.FinanceLedger.Outcome;

/**
 * Random offers and settlements of two bills among three accounts with random, sometimes too small, balances.
 * After every call the bills' holders and the accounts' balances are exactly what a model says: a bill changes
 * hands only with its price paid in the same call, and money moves only with a bill.
 */
class DeliveryVersusPaymentProperties {
    private static final int ACCOUNTS = 3;
    private static final int BILLS = 2;
    private static final long FACE = 10_000;
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static FinanceLedger ledger;

    @BeforeContainer
    static void open() throws Exception {
        ledger = FinanceLedger.openInitialized();
        assertThat(ledger.submit(BANK_B_ADMIN, "currency:OpenAccount", "acceptor", "B").ok())
                .isTrue();
    }

    @AfterContainer
    static void close() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** An offer of a bill to an account at a price, or (price 0) a settlement attempt. */
    record Op(int bill, int buyer, long price) {}

    @Provide
    Arbitrary<Op> operations() {
        return Combinators.combine(Arbitraries.integers().between(0, BILLS - 1),
                Arbitraries.integers().between(0, ACCOUNTS - 1),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1, FACE)))).as(Op::new);
    }

    @Property(tries = 30)
    void aBillMovesExactlyWhenItsPriceIsPaid(
            @ForAll @Size(min = 1, max = 16) List<@From("operations") Op> ops,
            @ForAll @Size(value = ACCOUNTS) List<@net.jqwik.api.constraints.LongRange(max = 3 * FACE) Long> funds) {
        String prefix = "d" + TRIES.incrementAndGet() + "-";
        List<SigningIdentity> banks = List.of(BANK_A_USER, BANK_B_USER, BANK_A_USER);
        Map<Integer, Long> balances = new HashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ok(ledger.submit(banks.get(i), "currency:OpenAccount", prefix + i, "holder " + i));
            if (funds.get(i) > 0) {
                ok(ledger.submit(CENTRAL_BANK_ADMIN, "currency:Mint", prefix + i, Long.toString(funds.get(i))));
            }
            balances.put(i, funds.get(i));
        }
        int[] holders = new int[BILLS];
        Op[] offers = new Op[BILLS];
        for (int b = 0; b < BILLS; b++) {
            ok(ledger.submit(BANK_A_USER, "bill:Issue", prefix + "bill" + b, prefix + b * 2, "BankBMSP",
                    Long.toString(FACE), "2030-01-01"));
            ok(ledger.submit(BANK_B_ADMIN, "bill:Accept", prefix + "bill" + b, "acceptor"));
            holders[b] = b * 2;
        }
        for (Op op : ops) {
            String bill = prefix + "bill" + op.bill();
            if (op.price() > 0) {
                Outcome offered = ledger.submit(banks.get(holders[op.bill()]), "bill:Offer", bill,
                        prefix + op.buyer(), Long.toString(op.price()), "TRANSFER");
                boolean allowed = op.buyer() != holders[op.bill()];
                assertThat(offered.ok()).as("%s: %s", op, offered.message()).isEqualTo(allowed);
                if (allowed) {
                    offers[op.bill()] = op;
                }
            } else {
                Op offer = offers[op.bill()];
                SigningIdentity caller = banks.get(offer == null ? op.buyer() : offer.buyer());
                Outcome settled = ledger.submit(caller, "bill:Settle", bill);
                boolean allowed = offer != null && balances.get(offer.buyer()) >= offer.price();
                assertThat(settled.ok()).as("settle %s with offer %s: %s", bill, offer, settled.message())
                        .isEqualTo(allowed);
                Statistics.label("settlements").collect(allowed ? "paid" : offer == null ? "no offer" : "short");
                if (allowed) {
                    balances.merge(offer.buyer(), -offer.price(), Long::sum);
                    balances.merge(holders[op.bill()], offer.price(), Long::sum);
                    holders[op.bill()] = offer.buyer();
                    offers[op.bill()] = null;
                }
            }
            for (int b = 0; b < BILLS; b++) {
                String holder = ledger.evaluate(REGULATOR_USER, "bill:Bill", prefix + "bill" + b).json()
                        .get("holder").asText();
                assertThat(holder).as("holder of bill %d after %s", b, op).isEqualTo(prefix + holders[b]);
            }
            for (int i = 0; i < ACCOUNTS; i++) {
                long balance = Long.parseLong(
                        ledger.evaluate(REGULATOR_USER, "currency:Balance", prefix + i).payload());
                assertThat(balance).as("balance of account %d after %s", i, op).isEqualTo(balances.get(i));
            }
        }
        // The runs must have paid for bills and refused short buyers, or they proved nothing.
        Statistics.label("settlements").coverage(coverage -> {
            coverage.check("paid").count(n -> n > 0);
            coverage.check("short").count(n -> n > 0);
        });
    }

    private static void ok(Outcome outcome) {
        assertThat(outcome.ok()).as(outcome.message()).isTrue();
    }
}
