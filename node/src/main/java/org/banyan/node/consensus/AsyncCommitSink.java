package org.banyan.node.consensus;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.consensus.Actions;

/**
 * Writes commits to another sink (the ledger) on a thread of its own ({@code banyan-commit-<name>}), in order, so
 * the consensus event loop does not wait for ledger writes and fsyncs. The queue is bounded
 * ({@code queuedCommitsMax}): when the ledger falls that far behind, {@link #deliver} blocks, which slows
 * consensus down to the ledger's pace instead of growing memory.
 *
 * <p>A failure of the delegate (a full disk) stops the writer; the next {@link #deliver} rethrows it, which stops the
 * driver. {@link #durableHeight()} is the delegate's, so the driver keeps blocks not yet written in its safety
 * record and a crash loses none.
 */
public final class AsyncCommitSink implements CommitSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AsyncCommitSink.class.getName());

    private final CommitSink delegate;
    private final BlockingQueue<Actions.Commit> queue;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread writer;
    private final Object idle = new Object();
    private volatile boolean open = true;
    private volatile boolean writing;

    public AsyncCommitSink(CommitSink delegate, String name, int queuedCommitsMax) {
        this.delegate = delegate;
        this.queue = new ArrayBlockingQueue<>(queuedCommitsMax);
        this.writer = new Thread(this::run, "banyan-commit-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void deliver(Actions.Commit commit) {
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("the ledger writer stopped: " + failed.getMessage(), failed);
        }
        try {
            queue.put(commit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a commit", e);
        }
    }

    @Override
    public long durableHeight() {
        return delegate.durableHeight();
    }

    private void run() {
        while (open || !queue.isEmpty()) {
            Actions.Commit commit;
            try {
                commit = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (commit == null) {
                continue;
            }
            writing = true;
            try {
                delegate.deliver(commit);
            } catch (RuntimeException e) {
                failure.set(e);
                LOG.log(System.Logger.Level.ERROR, writer.getName() + ": ledger write failed; stopping", e);
                queue.clear();
                return;
            } finally {
                writing = false;
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until every queued commit is written (or the writer failed).
     *
     * @return false if that did not happen within {@code timeoutMillis}
     */
    public boolean drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (idle) {
            while ((!queue.isEmpty() || writing) && failure.get() == null && writer.isAlive()) {
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
            }
        }
        return true;
    }

    /** The writer's failure, if it stopped on one. */
    public RuntimeException failure() {
        return failure.get();
    }

    /** Writes what is queued (waiting at most {@code ConsensusDriver.CLOSE_TIMEOUT_MILLIS}) and stops the writer. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(ConsensusDriver.CLOSE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} commits not written at close", writer.getName(),
                    queue.size());
        }
    }
}
