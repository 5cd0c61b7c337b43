package org.banyan.consensus;

/** Who leads each round. Every replica must use the same schedule. */
public interface LeaderSchedule {
    ReplicaId leader(Round round);

    /** The default: round mod n. */
    static LeaderSchedule roundRobin(int replicaCount) {
        return round -> new ReplicaId((int) (round.value() % replicaCount));
    }
}
