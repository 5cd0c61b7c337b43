package org.banyan.samples.finance.loan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random shares for the loan properties: 2 to n positive basis points summing to exactly 10,000. */
final class ShareVectors {
    private ShareVectors() {}

    static Arbitrary<List<Integer>> ofUpTo(int lendersMax) {
        return Arbitraries.integers().between(2, lendersMax).flatMap(lenders -> Arbitraries.integers()
                .between(1, JointLoan.BASIS_POINTS - 1).set().ofSize(lenders - 1).map(ShareVectors::between));
    }

    /** Distinct cuts of (0, 10,000) cut it into positive shares that sum to 10,000. */
    private static List<Integer> between(Set<Integer> cuts) {
        List<Integer> bounds = new ArrayList<>(new TreeSet<>(cuts));
        bounds.addFirst(0);
        bounds.add(JointLoan.BASIS_POINTS);
        List<Integer> shares = new ArrayList<>();
        for (int i = 1; i < bounds.size(); i++) {
            shares.add(bounds.get(i) - bounds.get(i - 1));
        }
        return shares;
    }
}
