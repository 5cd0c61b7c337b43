package org.banyan.ledger;

/** A state key within its chaincode namespace, ordered by namespace then key. */
record NamespacedKey(String namespace, String key) implements Comparable<NamespacedKey> {
    @Override
    public int compareTo(NamespacedKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : key.compareTo(other.key);
    }
}
