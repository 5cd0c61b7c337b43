package org.banyan.node.chaincode.inprocess;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.banyan.node.chaincode.ChaincodeAnswers;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeRequests;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.port.PortAnswer;
import org.banyan.node.chaincode.inprocess.port.PortChaincode;
import org.hyperledger.fabric.protos.peer.ChaincodeID;

/**
 * One chaincode loaded in-process: its class loader, its started instance (through the port) and the threads its
 * transactions run on. A transaction the client called runs on one of those threads while the caller waits up to
 * the deadline ({@link #runOnOwnThread}); a chaincode another in-process chaincode invokes runs on the caller's
 * thread ({@link #runOnThisThread}), inside the caller's deadline.
 *
 * <p>Threads: platform threads, not virtual ones, so a chaincode spinning past its deadline keeps one core busy
 * but cannot starve the carrier threads every virtual thread of the node shares. At most
 * {@code transactionsRunningMax}; idle ones end after a minute, so nothing of the chaincode's outlives it in a
 * thread local.
 */
final class LoadedChaincode {
    private static final System.Logger LOG = System.getLogger(LoadedChaincode.class.getName());
    /** What Fabric's Java shim answers when its task pool refuses a transaction. */
    static final String POOL_FULL = "Failed to submit task for processing";

    private final String registeredId;
    private final ChaincodeID chaincodeId;
    private final ChaincodeClassLoader loader;
    private final PortChaincode port;
    private final ThreadPoolExecutor threads;
    /** Transactions running on this chaincode, by channel + tx ID (Fabric's handler keys them so). */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger runaway = new AtomicInteger();

    LoadedChaincode(String registeredId, ChaincodeID chaincodeId, ChaincodeClassLoader loader, PortChaincode port,
            ThreadPoolExecutor threads) {
        this.registeredId = registeredId;
        this.chaincodeId = chaincodeId;
        this.loader = loader;
        this.port = port;
        this.threads = threads;
    }

    /**
     * The chaincode's threads: platform threads with its class loader as their context. The chaincode is started on
     * one of them too, so that nothing it leaves in a thread local outlives it.
     */
    static ThreadPoolExecutor threads(String registeredId, ClassLoader loader, int transactionsRunningMax) {
        ThreadFactory platform = Thread.ofPlatform().daemon().name("banyan-inprocess-" + registeredId + "-", 0)
                .factory();
        return new ThreadPoolExecutor(0, transactionsRunningMax, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = platform.newThread(task);
                    thread.setContextClassLoader(loader);
                    return thread;
                });
    }

    ChaincodeID chaincodeId() {
        return chaincodeId;
    }

    ClassLoader loader() {
        return loader;
    }

    int runaway() {
        return runaway.get();
    }

    /**
     * Runs a transaction on one of the chaincode's threads and waits for its answer until the deadline, as the
     * stream handler waits for {@code COMPLETED}/{@code ERROR}. When it returns or throws, the transaction's requests
     * are refused.
     *
     * @throws ChaincodeExecutionException the handler's message: the transaction is already running here, or the
     *     timeout
     */
    PortAnswer runOnOwnThread(InProcessTransaction transaction) {
        ChaincodeRequests requests = transaction.requests();
        String key = key(requests.context());
        if (!running.add(key)) {
            throw ChaincodeAnswers.alreadyRunning(requests.context());
        }
        Task task = new Task(transaction);
        try {
            if (requests.nanosLeft() <= 0) {
                throw new ChaincodeExecutionException(ChaincodeAnswers.TIMEOUT);
            }
            Future<PortAnswer> answer;
            try {
                answer = threads.submit(task::run);
            } catch (RejectedExecutionException e) {
                return new PortAnswer.Failed(POOL_FULL);
            }
            try {
                return answer.get(Math.max(requests.nanosLeft(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // Refuse its requests first, so that a chaincode that takes the interrupt changes nothing after it.
                transaction.execution().end();
                answer.cancel(true); // interrupts the chaincode's thread; one that ignores it is abandoned
                if (task.abandon()) {
                    runaway.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "chaincode {0}: transaction {1} still ran at its deadline;"
                            + " its thread is interrupted, and abandoned if it goes on", registeredId,
                            requests.context().txId());
                }
                throw new ChaincodeExecutionException(ChaincodeAnswers.TIMEOUT);
            } catch (ExecutionException e) {
                return unanswered(requests, e.getCause());
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new ChaincodeExecutionException("interrupted while executing transaction");
            }
        } finally {
            transaction.execution().end();
            running.remove(key);
        }
    }

    /**
     * Runs a chaincode another in-process chaincode invoked, on the caller's thread, with this chaincode's class
     * loader as the thread's context.
     *
     * @throws ChaincodeExecutionException the handler's message: the transaction is already running here (a
     *     chaincode calling back into one of its callers), or the deadline passed
     */
    PortAnswer runOnThisThread(InProcessTransaction transaction) {
        ChaincodeRequests requests = transaction.requests();
        String key = key(requests.context());
        if (!running.add(key)) {
            throw ChaincodeAnswers.alreadyRunning(requests.context());
        }
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        transaction.execution().opened(requests);
        try {
            if (requests.nanosLeft() <= 0) {
                throw new ChaincodeExecutionException(ChaincodeAnswers.TIMEOUT);
            }
            thread.setContextClassLoader(loader);
            try {
                return port.execute(transaction);
            } catch (Error e) {
                return unanswered(requests, e);
            }
        } finally {
            thread.setContextClassLoader(caller);
            transaction.execution().closed(requests);
            running.remove(key);
        }
    }

    /**
     * The chaincode threw an {@link Error}: Fabric's shim sends nothing then, so the execution ends as one without
     * an answer does, at its deadline.
     */
    private PortAnswer unanswered(ChaincodeRequests requests, Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "chaincode " + registeredId + " failed in transaction "
                + requests.context().txId() + " without an answer", error);
        long left = requests.nanosLeft();
        try {
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaincodeExecutionException("interrupted while executing transaction");
        }
        throw new ChaincodeExecutionException(ChaincodeAnswers.TIMEOUT);
    }

    private static String key(TransactionContext context) {
        return context.channelId() + context.txId();
    }

    /**
     * Ends the chaincode: no new transactions; running ones get up to {@code grace} to end, then are interrupted;
     * the class loader is closed (its classes stay usable by threads still running them).
     */
    void close(Duration grace) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the class loader of chaincode " + registeredId + " failed",
                    e);
        }
    }

    /** One transaction on the chaincode's thread: NOT_STARTED, RUNNING, then DONE, or ABANDONED at its deadline. */
    private final class Task {
        private static final int NOT_STARTED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;

        private final InProcessTransaction transaction;
        private final AtomicInteger state = new AtomicInteger(NOT_STARTED);

        Task(InProcessTransaction transaction) {
            this.transaction = transaction;
        }

        PortAnswer run() {
            state.set(RUNNING);
            Thread.currentThread().setContextClassLoader(loader);
            try {
                return port.execute(transaction);
            } finally {
                if (!state.compareAndSet(RUNNING, DONE)) {
                    runaway.decrementAndGet(); // abandoned at its deadline, ended since
                }
            }
        }

        /** True when the task was running: it now counts as abandoned until it ends. */
        boolean abandon() {
            return state.compareAndSet(RUNNING, ABANDONED);
        }
    }
}
