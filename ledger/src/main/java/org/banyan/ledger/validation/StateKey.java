package org.banyan.ledger.validation;

/** A state key within its chaincode namespace. */
record StateKey(String namespace, String key) {}
