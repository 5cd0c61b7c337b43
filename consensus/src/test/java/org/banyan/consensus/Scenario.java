package org.banyan.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated run, generated entirely from its seed: cluster size, leader schedule, Byzantine behaviour,
 * network faults, partitions, crashes and client load. Faults stop at {@link #healMillis}; liveness is then
 * checked within {@link #livenessBoundMillis}.
 */
record Scenario(long seed, int replicaCount, Byzantine byzantine, int byzantineId, boolean randomLeaders,
        double dropRate, double duplicateRate, double replayRate, long delayMinMillis, long delayMaxMillis,
        List<Partition> partitions, List<Crash> crashes, long healMillis, int payloadCount, long loadIntervalMillis,
        long livenessBoundMillis, SafetyPlant plant, List<Integer> leaderPrefix) {

    enum Byzantine {
        NONE,
        /** A second instance with the same id and keys as one replica (Twins): it equivocates and double-votes. */
        TWINS,
        /** One replica proposes on stale QCs to some replicas while showing others the real chain, and votes for everything. */
        STALE_EQUIVOCATOR,
        /**
         * As leader, drops one client's payloads (odd-numbered ones) from its proposals and adds an invalid payload
         * to every other proposal; never sends its votes.
         */
        CENSOR_INVALID
    }

    /** Between the times, {@code blocked[from][to]} (node indices; twins have index n) drops messages. */
    record Partition(long startMillis, long endMillis, boolean[][] blocked, String description) {}

    record Crash(int node, long atMillis, long downMillis) {}

    static Scenario random(long seed, SafetyPlant plant) {
        Random random = new Random(seed);
        int[] sizes = {1, 4, 4, 4, 4, 7};
        int n = sizes[random.nextInt(sizes.length)];
        Byzantine byzantine = Byzantine.NONE;
        if (n >= 4) {
            int pick = random.nextInt(10);
            byzantine = pick < 3 ? Byzantine.NONE : pick < 6 ? Byzantine.TWINS
                    : pick < 8 ? Byzantine.STALE_EQUIVOCATOR : Byzantine.CENSOR_INVALID;
        }
        int byzantineId = random.nextInt(n);
        boolean randomLeaders = random.nextInt(10) < (byzantine == Byzantine.TWINS ? 6 : 2);
        long healMillis = 2_000 + random.nextInt(10_000);
        int nodes = n + (byzantine == Byzantine.TWINS ? 1 : 0);
        List<Partition> partitions = new ArrayList<>();
        if (n > 1) {
            int phases = random.nextInt(4);
            for (int i = 0; i < phases; i++) {
                long start = random.nextLong(healMillis);
                long end = Math.min(healMillis, start + 200 + random.nextLong(5_000));
                partitions.add(random.nextBoolean() ? symmetric(random, nodes, start, end, n, byzantine, byzantineId, false)
                        : asymmetric(random, nodes, start, end));
            }
        }
        if (byzantine == Byzantine.TWINS && random.nextBoolean()) {
            // Twins paper: the two instances on opposite sides of a partition for the whole faulty period.
            partitions.add(symmetric(random, nodes, 0, healMillis, n, byzantine, byzantineId, true));
        }
        List<Crash> crashes = new ArrayList<>();
        int crashCount = random.nextInt(4);
        for (int i = 0; i < crashCount; i++) {
            int node = random.nextInt(n);
            if (byzantine != Byzantine.NONE && node == byzantineId) {
                continue;
            }
            crashes.add(new Crash(node, random.nextLong(healMillis), 100 + random.nextLong(4_000)));
        }
        long delayMin = 1 + random.nextInt(20);
        return new Scenario(seed, n, byzantine, byzantineId, randomLeaders, random.nextDouble() * 0.1,
                random.nextDouble() * 0.05, random.nextDouble() * 0.02, delayMin, delayMin + random.nextInt(200),
                List.copyOf(partitions), List.copyOf(crashes), healMillis, 5 + random.nextInt(40), 20 + random.nextInt(200),
                60_000, plant, List.of());
    }

    /** How many scenarios {@link #twins} enumerates: 4^3 leader schedules × 2^3 placements of the honest nodes. */
    static final int TWINS_ENUMERATED = 64 * 8;

    /**
     * The Twins paper's enumeration for n = 4 with R0 twinned: the leaders of rounds 1–3 (4^3 choices, round-robin
     * afterwards) × the side of each honest replica in a two-way partition that separates R0 from its twin
     * (2^3 choices), held for the whole faulty period; no other faults, so every difference is the schedule.
     */
    static Scenario twins(int index, SafetyPlant plant) {
        List<Integer> leaders = List.of(index % 4, (index / 4) % 4, (index / 16) % 4);
        int placement = index / 64;
        int nodes = 5;
        int[] group = {0, (placement & 1), (placement >> 1) & 1, (placement >> 2) & 1, 1};
        boolean[][] blocked = new boolean[nodes][nodes];
        for (int from = 0; from < nodes; from++) {
            for (int to = 0; to < nodes; to++) {
                blocked[from][to] = group[from] != group[to];
            }
        }
        String description = "twins-enumerated leaders=" + leaders + " groups=" + group[0] + group[1] + group[2]
                + group[3] + group[4];
        long healMillis = 6_000;
        return new Scenario(1_000_000L + index, 4, Byzantine.TWINS, 0, false, 0, 0, 0, 10, 50,
                List.of(new Partition(0, healMillis, blocked, description)), List.of(), healMillis, 20, 100, 60_000,
                plant, leaders);
    }

    private static Partition symmetric(Random random, int nodes, long start, long end, int n, Byzantine byzantine,
            int byzantineId, boolean splitTwins) {
        int[] group = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            group[i] = random.nextInt(2);
        }
        if (byzantine == Byzantine.TWINS && (splitTwins || random.nextBoolean())) {
            group[n] = 1 - group[byzantineId];
        }
        boolean[][] blocked = new boolean[nodes][nodes];
        StringBuilder description = new StringBuilder(splitTwins ? "twins-split groups=" : "symmetric groups=");
        for (int from = 0; from < nodes; from++) {
            description.append(group[from]);
            for (int to = 0; to < nodes; to++) {
                blocked[from][to] = group[from] != group[to];
            }
        }
        return new Partition(start, end, blocked, description.toString());
    }

    private static Partition asymmetric(Random random, int nodes, long start, long end) {
        boolean[][] blocked = new boolean[nodes][nodes];
        int count = 0;
        for (int from = 0; from < nodes; from++) {
            for (int to = 0; to < nodes; to++) {
                if (from != to && random.nextInt(10) < 3) {
                    blocked[from][to] = true;
                    count++;
                }
            }
        }
        return new Partition(start, end, blocked, "asymmetric blockedLinks=" + count);
    }

    ConsensusConfig config() {
        return new ConsensusConfig(replicaCount, 64, 1 << 20, 1_000, 8_000, false, 10_000, 1_024, 4_096, 100_000, 64,
                100);
    }

    LeaderSchedule leaders() {
        if (!leaderPrefix.isEmpty()) {
            LeaderSchedule roundRobin = LeaderSchedule.roundRobin(replicaCount);
            List<Integer> prefix = leaderPrefix;
            return round -> round.value() >= 1 && round.value() <= prefix.size()
                    ? new ReplicaId(prefix.get((int) round.value() - 1)) : roundRobin.leader(round);
        }
        if (!randomLeaders) {
            return LeaderSchedule.roundRobin(replicaCount);
        }
        long salt = seed;
        int n = replicaCount;
        return round -> {
            long z = (round.value() + salt) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return new ReplicaId((int) Long.remainderUnsigned(z ^ (z >>> 31), n));
        };
    }

    boolean isHonest(ReplicaId id) {
        return byzantine == Byzantine.NONE || id.value() != byzantineId;
    }

    @Override
    public String toString() {
        return "Scenario[seed=" + seed + " n=" + replicaCount + " byzantine=" + byzantine + "(R" + byzantineId
                + ") randomLeaders=" + randomLeaders + " drop=" + String.format("%.3f", dropRate) + " dup="
                + String.format("%.3f", duplicateRate) + " replay=" + String.format("%.3f", replayRate) + " delay="
                + delayMinMillis + ".." + delayMaxMillis + "ms partitions=" + partitions.stream()
                        .map(p -> p.description() + "@" + p.startMillis() + ".." + p.endMillis()).toList()
                + " crashes=" + crashes + " heal=" + healMillis + "ms payloads=" + payloadCount + " plant=" + plant
                + "]";
    }
}
