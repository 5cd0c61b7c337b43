package org.banyan.node.chaincode.launch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeRuntime;

/**
 * One package the node keeps running: launched as a process, or dialled as a chaincode server. The common state
 * machine, restarts with backoff, and the wait of a transaction for the chaincode to register.
 *
 * <pre>
 * STARTING --registered--> RUNNING --went down--> BACKOFF --wait--> STARTING
 * STARTING --went down (exit, failed dial, no registration within startTimeout)--> BACKOFF
 * any --went down once too often ({@link #retryAfter} empty)--> GAVE_UP
 * any --{@link #stop}--> STOPPED
 * </pre>
 *
 * <p>Threads: {@link #up}, {@link #tick} and retries run on the launcher's timer thread; {@link #wentDown} may be
 * called from any thread; {@link #awaitRegistered} blocks a transaction's thread. State is guarded by
 * {@link #lock}.
 */
abstract sealed class Supervised permits ChaincodeProcess, ChaincodeConnection {
    enum State { STARTING, RUNNING, BACKOFF, GAVE_UP, STOPPED }

    private static final System.Logger LOG = System.getLogger(Supervised.class.getName());
    /** How often a waiting transaction looks at the state again (registration itself wakes it at once). */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Failures remembered for the restart window at most. */
    private static final int FAILURES_REMEMBERED_MAX = 1_024;

    final String packageId;
    final ChaincodeRuntime runtime;
    final LaunchSettings settings;
    final ScheduledExecutorService timer;
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private State state = State.STARTING;
    /** Why it is down (BACKOFF, GAVE_UP), in the words a client sees; guarded by lock. */
    private String failure = "";
    /** When the current attempt began (System.nanoTime), and how long the last one took to register. */
    private long attemptNanos = System.nanoTime();
    private long startMillis = -1;
    private int restarts;
    private int consecutiveFailures;
    private final Deque<Long> recentFailureNanos = new ArrayDeque<>();
    private ScheduledFuture<?> retry;

    Supervised(String packageId, ChaincodeRuntime runtime, LaunchSettings settings, ScheduledExecutorService timer) {
        this.packageId = packageId;
        this.runtime = runtime;
        this.settings = settings;
        this.timer = timer;
    }

    /** Starts one attempt: launches the process or dials the server. Timer thread. */
    abstract void up();

    /** Ends the current attempt for good without waiting (node shutting down). */
    abstract void down();

    /** Waits, until {@code deadlineNanos}, for what {@link #down} ended, forcing it at the deadline. */
    abstract void awaitDown(long deadlineNanos);

    /**
     * The wait before the next attempt after a failure, or empty to give up.
     *
     * @param recentFailures failures within {@link LaunchSettings#restartWindow()}, this one included
     * @param consecutiveFailures failures since the chaincode last registered, this one included
     */
    abstract Optional<Duration> retryAfter(int recentFailures, int consecutiveFailures);

    /** Mode-specific part of the status. */
    abstract ChaincodeStatus status(State state, String failure, int restarts, long startMillis);

    /** A periodic look, on the timer thread: registration, and what the mode watches (a process that hangs). */
    void tick() {
        lock.lock();
        try {
            if (state == State.STARTING && runtime.isRegistered(packageId)) {
                state = State.RUNNING;
                failure = "";
                consecutiveFailures = 0;
                startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attemptNanos);
                LOG.log(System.Logger.Level.INFO, "chaincode {0} registered {1} ms after it was started",
                        packageId, startMillis);
            }
        } finally {
            lock.unlock();
        }
    }

    final State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Nanoseconds since the current attempt began. */
    final long attemptAgeNanos() {
        lock.lock();
        try {
            return System.nanoTime() - attemptNanos;
        } finally {
            lock.unlock();
        }
    }

    final ChaincodeStatus status() {
        lock.lock();
        try {
            return status(state, failure, restarts, startMillis);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current attempt ended: schedules the next one after the backoff, or gives up.
     *
     * @param why what happened, in the words a client sees (e.g. {@code chaincode process exited with code 137})
     */
    final void wentDown(String why) {
        lock.lock();
        try {
            if (state == State.STOPPED || state == State.GAVE_UP || state == State.BACKOFF) {
                return;
            }
            long now = System.nanoTime();
            recentFailureNanos.addLast(now);
            while (!recentFailureNanos.isEmpty() && (now - recentFailureNanos.peekFirst()
                    > settings.restartWindow().toNanos() || recentFailureNanos.size() > FAILURES_REMEMBERED_MAX)) {
                recentFailureNanos.removeFirst();
            }
            consecutiveFailures++;
            Optional<Duration> wait = retryAfter(recentFailureNanos.size(), consecutiveFailures);
            if (wait.isEmpty()) {
                state = State.GAVE_UP;
                failure = why + "; not restarted: " + recentFailureNanos.size() + " failures within "
                        + settings.restartWindow().toSeconds() + " s (restarts resume when the node restarts)";
                LOG.log(System.Logger.Level.ERROR, "chaincode {0}: {1}", packageId, failure);
                return;
            }
            state = State.BACKOFF;
            failure = why + "; restarting in " + wait.get().toMillis() + " ms";
            LOG.log(System.Logger.Level.WARNING, "chaincode {0}: {1}", packageId, failure);
            try {
                retry = timer.schedule(this::retry, wait.get().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                state = State.STOPPED; // the launcher is closing
            }
        } finally {
            lock.unlock();
        }
    }

    private void retry() {
        lock.lock();
        try {
            if (state != State.BACKOFF) {
                return;
            }
            state = State.STARTING;
            attemptNanos = System.nanoTime();
            restarts++;
        } finally {
            lock.unlock();
        }
        up();
    }

    /** Marks the first attempt's start (before {@link #up}); nothing once stopped. */
    final void begin() {
        lock.lock();
        try {
            if (state == State.STARTING) {
                attemptNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops for good: no more attempts; {@link #down} ends the current one. */
    final void stop() {
        lock.lock();
        try {
            state = State.STOPPED;
            if (retry != null) {
                retry.cancel(false);
            }
        } finally {
            lock.unlock();
        }
        down();
    }

    /**
     * Blocks until the chaincode registered: while it is starting, at most {@code waitNanosMax} and
     * {@link LaunchSettings#startTimeout()}; at once with the reason while it is down (a transaction does not wait
     * out a restart backoff).
     *
     * @throws ChaincodeExecutionException {@code could not launch chaincode P: ...}: the failure while down,
     *     Fabric's {@code timeout expired while starting chaincode P for transaction} when the wait ran out
     */
    final void awaitRegistered(long waitNanosMax) {
        long deadline = System.nanoTime() + Math.min(waitNanosMax, settings.startTimeout().toNanos());
        while (!runtime.isRegistered(packageId)) {
            State now;
            String why;
            lock.lock();
            try {
                now = state;
                why = failure;
            } finally {
                lock.unlock();
            }
            switch (now) {
                case BACKOFF, GAVE_UP -> throw new ChaincodeExecutionException("could not launch chaincode "
                        + packageId + ": " + why);
                case STOPPED -> throw new ChaincodeExecutionException("could not launch chaincode " + packageId
                        + ": the node is shutting down");
                case STARTING, RUNNING -> { }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ChaincodeExecutionException("could not launch chaincode " + packageId
                        + ": timeout expired while starting chaincode " + packageId + " for transaction");
            }
            try {
                runtime.awaitRegistered(packageId, Duration.ofNanos(Math.min(left, POLL_NANOS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChaincodeExecutionException("could not launch chaincode " + packageId
                        + ": interrupted while waiting for it to start");
            }
        }
    }
}
