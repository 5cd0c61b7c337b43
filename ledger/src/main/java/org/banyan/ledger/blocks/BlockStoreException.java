package org.banyan.ledger.blocks;

/**
 * Base of the block store's typed errors. Unchecked: each subtype documents when it is thrown, and the
 * caller decides whether the node can carry on (a rejected block or a failed write) or must stop (corruption).
 */
public abstract class BlockStoreException extends RuntimeException {
    protected BlockStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
