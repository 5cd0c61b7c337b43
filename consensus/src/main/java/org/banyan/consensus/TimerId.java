package org.banyan.consensus;

/** Identifies one round timer; a fired timer that is not the replica's latest is ignored. */
public record TimerId(Round round, long sequence) {}
