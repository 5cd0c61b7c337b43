package org.banyan.ledger.storage;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Guards a store's lifetime: operations run under a shared or an exclusive lock and fail once the store is
 * closed. For a RocksDB store this is what keeps {@code close()} from freeing native handles under a reader
 * (a use-after-free in native code would crash the JVM, not throw).
 */
public final class StoreLock {
    private final String store;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // written under the write lock, read under either lock

    /** @param store names the store in "closed" errors, for example "state store /data/state" */
    public StoreLock(String store) {
        this.store = store;
    }

    /**
     * Runs {@code action} alongside other shared actions.
     *
     * @throws IllegalStateException when the store is closed
     */
    public <T> T shared(Supplier<T> action) {
        lock.readLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code action} alone.
     *
     * @throws IllegalStateException when the store is closed
     */
    public <T> T exclusive(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            checkOpen();
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Waits for running actions, marks the store closed and runs {@code release} once; later calls do nothing. */
    public void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(store + " is closed");
        }
    }
}
