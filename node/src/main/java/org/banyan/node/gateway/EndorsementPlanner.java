package org.banyan.node.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses which organisations to ask for endorsements: the smallest set that contains the organisations that
 * already endorsed, avoids those that failed, and satisfies the transaction's policies. Pure: the policy is a
 * predicate over sets of organisations (evaluated with hypothetical peers, see {@code Signers.peersOf}).
 *
 * <p>Among sets of the same size the one listed first wins, candidates being taken in the preference order given
 * (the gateway puts its own organisation first, as Fabric's gateway prefers its own organisation's peers). Up to
 * {@value #EXHAUSTIVE_ORGS_MAX} candidate organisations every combination is tried, smallest first; beyond that
 * organisations are added greedily in preference order, which still finds a satisfying set whenever one exists
 * among the candidates but not always the smallest.
 */
public final class EndorsementPlanner {
    /** Candidate organisations up to which every combination is tried (2^16 policy evaluations at most). */
    static final int EXHAUSTIVE_ORGS_MAX = 16;

    private EndorsementPlanner() {}

    /**
     * The organisations to have endorsed in total (a superset of {@code endorsed}), or empty when no choice among
     * {@code candidates} satisfies the policy.
     *
     * @param candidates organisations that may still be asked, in preference order (those in {@code endorsed} or
     *     {@code failed} are skipped)
     * @param endorsed organisations whose endorsements are already collected
     * @param failed organisations that failed this request (not asked again)
     * @param satisfied whether a set of organisations' peers satisfies every policy the transaction needs
     */
    public static Optional<SequencedSet<String>> plan(List<String> candidates, Collection<String> endorsed,
            Collection<String> failed, Predicate<Set<String>> satisfied) {
        SequencedSet<String> base = new LinkedHashSet<>(endorsed);
        if (satisfied.test(base)) {
            return Optional.of(base);
        }
        List<String> open = new ArrayList<>();
        for (String org : new LinkedHashSet<>(candidates)) {
            if (!base.contains(org) && !failed.contains(org)) {
                open.add(org);
            }
        }
        if (open.size() > EXHAUSTIVE_ORGS_MAX) {
            return greedy(base, open, satisfied);
        }
        for (int size = 1; size <= open.size(); size++) {
            Optional<SequencedSet<String>> found = firstOfSize(base, open, size, satisfied);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Combinations of {@code size} organisations of {@code open}, in lexicographic order of their indices. */
    private static Optional<SequencedSet<String>> firstOfSize(SequencedSet<String> base, List<String> open, int size,
            Predicate<Set<String>> satisfied) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = i;
        }
        while (true) {
            SequencedSet<String> candidate = new LinkedHashSet<>(base);
            for (int index : indices) {
                candidate.add(open.get(index));
            }
            if (satisfied.test(candidate)) {
                return Optional.of(candidate);
            }
            int i = size - 1;
            while (i >= 0 && indices[i] == open.size() - size + i) {
                i--;
            }
            if (i < 0) {
                return Optional.empty();
            }
            indices[i]++;
            for (int j = i + 1; j < size; j++) {
                indices[j] = indices[j - 1] + 1;
            }
        }
    }

    private static Optional<SequencedSet<String>> greedy(SequencedSet<String> base, List<String> open,
            Predicate<Set<String>> satisfied) {
        SequencedSet<String> candidate = new LinkedHashSet<>(base);
        for (String org : open) {
            candidate.add(org);
            if (satisfied.test(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
