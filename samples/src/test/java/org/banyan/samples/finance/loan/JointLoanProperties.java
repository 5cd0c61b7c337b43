package org.banyan.samples.finance.loan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.banyan.samples.finance.FinanceLedger.BANK_B_USER;
import static org.banyan.samples.finance.FinanceLedger.CENTRAL_BANK_ADMIN;
import static org.banyan.samples.finance.FinanceLedger.REGULATOR_USER;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.banyan.crypto.SigningIdentity;
import org.banyan.protocol.testing.TestChains;
import org.banyan.samples.finance.FinanceLedger;
import org.banyan.samples.finance.FinanceLedger.Outcome;

/**
 * Random joint loans (two to four lenders, random shares, principals from ten thousand units to near
 * {@code Long.MAX_VALUE}) repaid by random sequences — large and tiny parts, the exact rest, more than is
 * outstanding, and repayments after the end — on a real ledger, next to a model that knows only the principal and
 * the sum repaid. Each repayment must succeed exactly when it fits the outstanding of an active loan; then its parts
 * sum to it and none is negative, no lender has received more than it funded or strays from its share of the
 * total repaid by more than rounding, the loan is REPAID exactly when the repayments reach the principal, and the
 * lenders' positions (each try's lenders are new organisations) sum to exactly the total repaid.
 */
class JointLoanProperties {
    /** Lenders of one loan, at most: enough for ties among three and for a lead that does not sort first. */
    private static final int LENDERS_MAX = 4;
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static FinanceLedger ledger;

    @BeforeContainer
    static void open() throws Exception {
        ledger = FinanceLedger.openInitialized();
        assertThat(ledger.submit(CENTRAL_BANK_ADMIN, "loan:Initialize", "RegulatorMSP").ok()).isTrue();
    }

    @AfterContainer
    static void close() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    /**
     * A loan's terms: the lenders' shares in basis points, in the order of the lenders' MSP IDs; which of them
     * leads; the principal.
     */
    record Terms(List<Integer> shares, int lead, long principal) {}

    /** The banks of one try: new organisations, so that their positions hold this try's loan only. */
    record Lenders(List<String> banks, List<SigningIdentity> admins) {
        static Lenders fresh(String prefix, int count) {
            List<String> banks = new ArrayList<>();
            List<SigningIdentity> admins = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                banks.add(prefix + "Bank" + i + "MSP");
                admins.add(TestChains.identity(banks.getLast(), "admin", "Admin@" + prefix + "bank" + i));
            }
            return new Lenders(banks, admins);
        }

        String sharesJson(Terms terms) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < banks.size(); i++) {
                fields.add("\"" + banks.get(i) + "\": " + terms.shares().get(i));
            }
            return "{" + String.join(", ", fields) + "}";
        }
    }

    /**
     * One repayment: {@code PART} of the outstanding in thousandths, {@code UNITS} (1 to 3 minor units, where
     * rounding matters most), the exact {@code REST}, or {@code OVER} the outstanding by a few units.
     */
    record Pay(String kind, int size) {
        BigInteger amount(long outstanding) {
            BigInteger left = BigInteger.valueOf(outstanding);
            return switch (kind) {
                case "PART" -> left.multiply(BigInteger.valueOf(size)).divide(BigInteger.valueOf(1000))
                        .max(BigInteger.ONE);
                case "UNITS" -> BigInteger.valueOf(1 + size % 3);
                case "REST" -> left;
                default -> left.add(BigInteger.valueOf(1 + size % 5));
            };
        }
    }

    @Provide
    Arbitrary<Terms> terms() {
        Arbitrary<Long> principals = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.longs().between(10_000, 10_000_000)),
                Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE / 2, Long.MAX_VALUE)));
        return Combinators.combine(ShareVectors.ofUpTo(LENDERS_MAX), Arbitraries.integers().between(0, 99), principals)
                .as((shares, leadSeed, principal) -> new Terms(shares, leadSeed % shares.size(), principal));
    }

    @Provide
    Arbitrary<Pay> repayments() {
        return Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("PART")), Tuple.of(2, Arbitraries.just("UNITS")),
                        Tuple.of(1, Arbitraries.just("REST")), Tuple.of(1, Arbitraries.just("OVER"))),
                Arbitraries.integers().between(1, 1000)).as(Pay::new);
    }

    @Property(tries = 40)
    void repaymentsAreSplitExactlyAndTheLoanIsRepaidExactlyAtThePrincipal(
            @ForAll("terms") Terms terms, @ForAll @Size(min = 1, max = 10) List<@From("repayments") Pay> pays) {
        String loanId = "p" + TRIES.incrementAndGet();
        Lenders lenders = Lenders.fresh(loanId, terms.shares().size());
        JsonNode loan = activate(loanId, terms, lenders);
        long repaid = 0;
        for (Pay pay : pays) {
            BigInteger amount = pay.amount(terms.principal() - repaid);
            Outcome outcome = ledger.submit(BANK_B_USER, "loan:Repay", loanId, amount.toString());
            boolean active = repaid < terms.principal();
            boolean allowed = active && amount.compareTo(BigInteger.valueOf(terms.principal() - repaid)) <= 0;
            assertThat(outcome.ok()).as("%s of %s: %s", pay, amount, outcome.message()).isEqualTo(allowed);
            Statistics.label("repayments").collect(allowed ? "recorded" : active ? "more than outstanding"
                    : "after the end");
            if (allowed) {
                long parts = 0;
                for (JsonNode part : outcome.json().get("repayment").get("parts")) {
                    assertThat(part.asLong()).as("a part of %s", amount).isNotNegative();
                    parts += part.asLong();
                }
                assertThat(parts).as("the parts of %s", amount).isEqualTo(amount.longValueExact());
                repaid += amount.longValueExact();
                loan = outcome.json().get("loan");
            }
            checkAgainstModel(terms, loan, repaid);
        }
        checkPositions(lenders, loan, repaid);
        checkTrail(loanId, repaid);
        Statistics.label("loans").collect(repaid == terms.principal() ? "repaid in full" : "still active");
        Statistics.label("lenders").collect(terms.shares().size() + " lenders");
        Statistics.label("principal").collect(terms.principal() > Long.MAX_VALUE / 2 ? "near Long.MAX_VALUE"
                : "up to 10^7");
        Statistics.label("repayments").coverage(coverage -> {
            coverage.check("recorded").count(n -> n > 0);
            coverage.check("more than outstanding").count(n -> n > 0);
            coverage.check("after the end").count(n -> n > 0);
        });
        Statistics.label("loans").coverage(coverage -> {
            coverage.check("repaid in full").count(n -> n > 0);
            coverage.check("still active").count(n -> n > 0);
        });
        Statistics.label("lenders").coverage(coverage -> coverage.check(LENDERS_MAX + " lenders").count(n -> n > 0));
        Statistics.label("principal").coverage(coverage -> coverage.check("near Long.MAX_VALUE").count(n -> n > 0));
    }

    /** Proposes the loan as its lead bank and confirms it as every other lender; checks what each funds. */
    private static JsonNode activate(String loanId, Terms terms, Lenders lenders) {
        Outcome last = ledger.submit(lenders.admins().get(terms.lead()), "loan:Propose", loanId,
                "borrower " + loanId, "BankBMSP", Long.toString(terms.principal()), lenders.sharesJson(terms));
        assertThat(last.ok()).as("%s: %s", terms, last.message()).isTrue();
        for (int i = 0; i < lenders.banks().size(); i++) {
            if (i != terms.lead()) {
                last = ledger.submit(lenders.admins().get(i), "loan:Confirm", loanId);
                assertThat(last.ok()).as(last.message()).isTrue();
            }
        }
        JsonNode loan = last.json();
        assertThat(loan.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(loan.get("leadBank").asText()).isEqualTo(lenders.banks().get(terms.lead()));
        BigInteger funded = BigInteger.ZERO;
        for (JsonNode lender : loan.get("lenders")) {
            // Each lender funds its exact share rounded down or up, and the parts add up to the principal.
            int share = terms.shares().get(lenders.banks().indexOf(lender.get("bank").asText()));
            BigInteger exact = BigInteger.valueOf(terms.principal()).multiply(BigInteger.valueOf(share));
            BigInteger scaled = BigInteger.valueOf(lender.get("funded").asLong())
                    .multiply(BigInteger.valueOf(JointLoan.BASIS_POINTS));
            assertThat(scaled.subtract(exact).abs()).isLessThan(BigInteger.valueOf(JointLoan.BASIS_POINTS));
            funded = funded.add(BigInteger.valueOf(lender.get("funded").asLong()));
        }
        assertThat(funded).isEqualTo(BigInteger.valueOf(terms.principal()));
        return loan;
    }

    /**
     * The committed loan agrees with the model: outstanding and state follow the sum repaid alone; receipts add up
     * to it, none exceeds what its lender funded, and each stays within rounding of the lender's share of it —
     * {@code −(lenders − 1) < received − funded × repaid / principal < 1} (see {@link Loan#split}).
     */
    private static void checkAgainstModel(Terms terms, JsonNode answered, long repaid) {
        JsonNode loan = ledger.evaluate(REGULATOR_USER, "loan:Loan", answered.get("id").asText()).json();
        assertThat(loan).isEqualTo(answered);
        long principal = terms.principal();
        assertThat(loan.get("outstanding").asLong()).isEqualTo(principal - repaid).isNotNegative();
        assertThat(loan.get("state").asText()).isEqualTo(repaid == principal ? "REPAID" : "ACTIVE");
        long received = 0;
        BigInteger scale = BigInteger.valueOf(principal);
        BigInteger lowest = scale.multiply(BigInteger.valueOf(1 - terms.shares().size()));
        for (JsonNode lender : loan.get("lenders")) {
            long funded = lender.get("funded").asLong();
            long got = lender.get("received").asLong();
            assertThat(got).as("received by %s", lender).isBetween(0L, funded);
            BigInteger drift = BigInteger.valueOf(got).multiply(scale)
                    .subtract(BigInteger.valueOf(funded).multiply(BigInteger.valueOf(repaid)));
            assertThat(drift).as("drift of %s, scaled by the principal", lender).isGreaterThan(lowest)
                    .isLessThan(scale);
            received += got;
        }
        assertThat(received).isEqualTo(repaid);
    }

    /** Each lender's position (its only loan is this one) is what the loan says it received; together, all repaid. */
    private static void checkPositions(Lenders lenders, JsonNode loan, long repaid) {
        long positions = 0;
        for (JsonNode lender : loan.get("lenders")) {
            String bank = lender.get("bank").asText();
            Outcome position = ledger.evaluate(lenders.admins().get(lenders.banks().indexOf(bank)), "loan:Position",
                    bank);
            assertThat(position.ok()).as(position.message()).isTrue();
            long received = position.json().get("received").asLong();
            assertThat(received).as("position of %s", bank).isEqualTo(lender.get("received").asLong());
            long owed = loan.get("state").asText().equals("ACTIVE")
                    ? lender.get("funded").asLong() - received : 0;
            assertThat(position.json().get("outstanding").asLong()).as("owed to %s", bank).isEqualTo(owed);
            positions += received;
        }
        assertThat(positions).as("the lenders' positions together").isEqualTo(repaid);
    }

    private static void checkTrail(String loanId, long repaid) {
        JsonNode trail = ledger.evaluate(REGULATOR_USER, "loan:Trail", loanId).json();
        long sum = 0;
        for (JsonNode entry : trail) {
            sum += entry.get("amount").asLong();
        }
        assertThat(sum).as("the trail of %s", loanId).isEqualTo(repaid);
    }
}
