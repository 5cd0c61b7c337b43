package org.banyan.node.chaincode.inprocess;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.banyan.ledger.ChannelLedger;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.node.chaincode.ChaincodeAnswers;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeExecutor;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeRequests;
import org.banyan.node.chaincode.ChaincodeResolver;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.TransactionContext;
import org.banyan.node.chaincode.inprocess.port.PortAnswer;
import org.banyan.node.chaincode.inprocess.port.PortChaincode;
import org.banyan.node.config.ChaincodeLogLevels;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;

/**
 * Java chaincode run in the node's JVM, the fast path: each chaincode loaded from its own class path into its own
 * class loader ({@link ChaincodeClassLoader}), started as Fabric's shim starts it but without a connection, and
 * called per transaction through Fabric's contract API with a {@code ChaincodeStub} whose every state access is a
 * method call on the chaincode's thread, served by {@link ChaincodeRequests} — the logic the chaincode runtime's
 * stream handler serves requests with — so results, read/write sets and errors are the runtime's. See
 * docs/chaincode.md, "In-process".
 *
 * <p>{@link #execute} has the shape of {@link ChaincodeExecutor} and
 * {@link org.banyan.node.chaincode.ChaincodeRuntime}'s, with the same limits: one deadline
 * ({@link ChaincodeLimits#executeTimeout()}) for the whole execution, nested invocations included; nesting depth,
 * query batch size, total query limit and open queries per transaction; the simulator's own. A transaction that
 * passes its deadline is answered Fabric's timeout at once and its requests refused; its thread is interrupted and,
 * if it does not stop, abandoned (Java cannot stop a thread): it keeps one of the chaincode's
 * {@link Options#transactionsRunningMax()} threads until it ends ({@link #runaway}). Memory, CPU, JVM-wide state
 * ({@code System.exit}, system properties) are not isolated: in-process chaincode is trusted code.
 *
 * <p>Thread-safe. Owns a pool of platform threads per chaincode (idle ones end after a minute); {@link #unload}
 * and {@link #close()} end them and release the class loaders.
 */
public final class InProcessChaincodes implements ChaincodeExecutor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InProcessChaincodes.class.getName());
    private static final String SHIM_ENTRY = ChaincodeClassLoader.SHIM_PACKAGE + "ShimChaincode";
    private static final String SHIM_STUB = "org.hyperledger.fabric.shim.ChaincodeStub";

    /**
     * What the node's wiring decides.
     *
     * @param resolver which chaincode runs a chaincode another chaincode invokes (Fabric's lifecycle), as for the
     *     chaincode runtime
     * @param others runs a callee that is not loaded in-process
     * @param refusals sees the text of each request the node refuses (what a stream's {@code ERROR} carries;
     *     Fabric's Java shim does not show it to the chaincode)
     * @param localMspId the node's MSP ID, what {@code ChaincodeStub.getMspId()} answers (Fabric's
     *     {@code CORE_PEER_LOCALMSPID}); empty: unset
     * @param transactionsRunningMax transactions one chaincode runs at once, each on its own thread (one past it
     *     is answered as Fabric's shim answers when its pool is full: {@code Failed to submit task for
     *     processing}); threads of transactions abandoned at their deadline count until they end
     * @param chaincodesMax chaincodes loaded at once
     * @param logLevels the levels of the contract API's and the shim's loggers, set after each chaincode starts
     *     (the shim would otherwise set them from the node's environment)
     */
    public record Options(ChaincodeResolver resolver, NestedChaincodes others, RefusalObserver refusals,
                          Optional<String> localMspId, int transactionsRunningMax, int chaincodesMax,
                          ChaincodeLogLevels logLevels) {
        public Options {
            Objects.requireNonNull(logLevels, "logLevels");
            Objects.requireNonNull(resolver, "resolver");
            Objects.requireNonNull(others, "others");
            Objects.requireNonNull(refusals, "refusals");
            Objects.requireNonNull(localMspId, "localMspId");
            if (transactionsRunningMax < 1 || chaincodesMax < 1) {
                throw new IllegalArgumentException("transactionsRunningMax=" + transactionsRunningMax
                        + " and chaincodesMax=" + chaincodesMax + " must be positive");
            }
        }

        /**
         * Development mode (chaincode by name), no other runtime, no MSP ID, 64 transactions, 64 chaincodes,
         * Fabric's default log levels.
         */
        public static Options defaults() {
            return new Options(ChaincodeResolver.BY_NAME, NestedChaincodes.NONE, RefusalObserver.NONE,
                    Optional.empty(), 64, 64, ChaincodeLogLevels.DEFAULTS);
        }

        public Options withResolver(ChaincodeResolver value) {
            return new Options(value, others, refusals, localMspId, transactionsRunningMax, chaincodesMax, logLevels);
        }

        public Options withOthers(NestedChaincodes value) {
            return new Options(resolver, value, refusals, localMspId, transactionsRunningMax, chaincodesMax, logLevels);
        }

        public Options withRefusals(RefusalObserver value) {
            return new Options(resolver, others, value, localMspId, transactionsRunningMax, chaincodesMax, logLevels);
        }

        public Options withLocalMspId(String value) {
            return new Options(resolver, others, refusals, Optional.of(value), transactionsRunningMax,
                    chaincodesMax, logLevels);
        }

        public Options withTransactionsRunningMax(int value) {
            return new Options(resolver, others, refusals, localMspId, value, chaincodesMax, logLevels);
        }

        public Options withLogLevels(ChaincodeLogLevels value) {
            return new Options(resolver, others, refusals, localMspId, transactionsRunningMax, chaincodesMax, value);
        }
    }

    /** Sees each request the node refuses an in-process chaincode. Called on the chaincode's thread. */
    @FunctionalInterface
    public interface RefusalObserver {
        RefusalObserver NONE = (txId, errorText) -> { };

        /** @param errorText {@code <TYPE> failed: transaction ID: <txid>: <cause>}, Fabric's {@code ERROR} text */
        void refused(String txId, String errorText);
    }

    private final Function<String, Optional<ChannelLedger>> ledgers;
    private final ChaincodeLimits limits;
    private final Options options;
    private final Map<String, LoadedChaincode> chaincodes = new ConcurrentHashMap<>();
    /** Orders loads and unloads: the shim's start changes JVM-wide logging for a moment ({@link JvmGlobals}). */
    private final ReentrantLock loading = new ReentrantLock();
    private volatile boolean closed;

    /** @param ledgers the ledger of a channel by ID, empty for a channel this node does not host */
    public InProcessChaincodes(Function<String, Optional<ChannelLedger>> ledgers, ChaincodeLimits limits) {
        this(ledgers, limits, Options.defaults());
    }

    public InProcessChaincodes(Function<String, Optional<ChannelLedger>> ledgers, ChaincodeLimits limits,
            Options options) {
        this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.options = Objects.requireNonNull(options, "options");
    }

    public ChaincodeLimits limits() {
        return limits;
    }

    /**
     * Loads a chaincode written with Fabric's contract API ({@code @Contract} classes, started as
     * {@code ContractRouter} starts them: the chaincode jar's usual {@code Main-Class}).
     *
     * @param registeredId what it runs as: a package ID ({@code label:hash}) or {@code name[:version]}, Fabric's
     *     {@code CORE_CHAINCODE_ID_NAME}
     * @param classPath the chaincode's jars and class directories, its Fabric shim 2.5 and every dependency
     *     included
     * @return the name and version results report
     * @throws ChaincodeLoadException when it cannot run
     */
    public ChaincodeID load(String registeredId, List<Path> classPath) {
        return load(registeredId, classPath, "");
    }

    /**
     * Loads a chaincode implemented as a class: a {@code ChaincodeBase} subclass (or any {@code Chaincode}) with a
     * public no-argument constructor, what the chaincode's {@code main} would {@code start}.
     *
     * @param chaincodeClass its binary name; empty for the contract API ({@link #load(String, List)})
     * @throws ChaincodeLoadException when it cannot run
     */
    public ChaincodeID load(String registeredId, List<Path> classPath, String chaincodeClass) {
        ChaincodeID id;
        try {
            id = ChaincodeAnswers.chaincodeId(registeredId);
        } catch (IllegalArgumentException e) {
            throw new ChaincodeLoadException(e.getMessage());
        }
        URL[] urls = urls(classPath);
        loading.lock();
        try {
            if (closed) {
                throw new ChaincodeLoadException("the in-process chaincodes are closed");
            }
            if (chaincodes.containsKey(registeredId)) {
                throw new ChaincodeLoadException("duplicate chaincodeID: " + registeredId); // Fabric's text
            }
            if (chaincodes.size() >= options.chaincodesMax()) {
                throw new ChaincodeLoadException("too many in-process chaincodes (max " + options.chaincodesMax()
                        + ")");
            }
            // Unnamed, as the class loader of a chaincode process: the stack traces Fabric's shim sends as ERROR
            // show no loader name.
            ChaincodeClassLoader loader = new ChaincodeClassLoader(null, urls,
                    InProcessChaincodes.class.getClassLoader());
            ThreadPoolExecutor threads = LoadedChaincode.threads(registeredId, loader,
                    options.transactionsRunningMax());
            PortChaincode port;
            try {
                port = startOn(threads, registeredId, chaincodeClass, loader);
            } catch (RuntimeException e) {
                threads.shutdownNow();
                throw e;
            }
            chaincodes.put(registeredId, new LoadedChaincode(registeredId, id, loader, port, threads));
            LOG.log(System.Logger.Level.INFO, "chaincode {0} loaded in-process from {1}", registeredId, classPath);
            return id;
        } finally {
            loading.unlock();
        }
    }

    /** Starts the chaincode on one of its threads, and waits. */
    private PortChaincode startOn(ThreadPoolExecutor threads, String registeredId, String chaincodeClass,
            ChaincodeClassLoader loader) {
        try {
            return threads.submit(() -> start(registeredId, chaincodeClass, loader, options.logLevels())).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new ChaincodeLoadException("chaincode " + registeredId + " could not start: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(loader);
            throw new ChaincodeLoadException("interrupted while starting chaincode " + registeredId);
        }
    }

    /** Starts the chaincode in its class loader, undoing what the shim's start changes JVM-wide. */
    private static PortChaincode start(String registeredId, String chaincodeClass, ChaincodeClassLoader loader,
            ChaincodeLogLevels logLevels) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        JvmGlobals.Logging logging = JvmGlobals.saveLogging();
        try {
            // As in a chaincode process, the chaincode's classes are the context (the contract scan, ServiceLoader).
            thread.setContextClassLoader(loader);
            try {
                loader.loadClass(SHIM_STUB);
            } catch (ClassNotFoundException e) {
                closeQuietly(loader);
                throw new ChaincodeLoadException("chaincode " + registeredId + ": its class path has no Fabric Java"
                        + " shim (" + SHIM_STUB + ")");
            }
            Class<?> entry = Class.forName(SHIM_ENTRY, true, loader);
            try {
                entry.getMethod("link").invoke(null);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof LinkageError linkage) {
                    throw linkage;
                }
                throw e;
            }
            return (PortChaincode) entry.getMethod("load", String.class, String.class)
                    .invoke(null, registeredId, chaincodeClass);
        } catch (InvocationTargetException e) {
            closeQuietly(loader);
            Throwable cause = e.getCause();
            throw new ChaincodeLoadException("chaincode " + registeredId + " could not start: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            closeQuietly(loader);
            throw new ChaincodeLoadException("chaincode " + registeredId + ": its Fabric Java shim is not the 2.5 API"
                    + " the node runs chaincode with: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
            logging.restore();
            logLevels.applyInProcess();
            List<String> removed = JvmGlobals.removeProviders(loader);
            if (!removed.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "chaincode {0}: JCA providers {1} it registered JVM-wide removed",
                        registeredId, removed);
            }
        }
    }

    private static URL[] urls(List<Path> classPath) {
        if (classPath.isEmpty()) {
            throw new ChaincodeLoadException("the chaincode's class path is empty");
        }
        List<URL> urls = new ArrayList<>();
        for (Path path : classPath) {
            if (!Files.isReadable(path)) {
                throw new ChaincodeLoadException("chaincode class path entry " + path + " is not readable");
            }
            try {
                urls.add(path.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new ChaincodeLoadException("chaincode class path entry " + path + ": " + e.getMessage());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** True when a chaincode is loaded with this ID, or, given a bare name, as {@code name:version}. */
    public boolean isLoaded(String registeredId) {
        return find(registeredId).isPresent();
    }

    /** The name and version a loaded chaincode reports; empty when none is loaded as {@code registeredId}. */
    public Optional<ChaincodeID> chaincodeId(String registeredId) {
        return find(registeredId).map(LoadedChaincode::chaincodeId);
    }

    /** The IDs of the chaincodes loaded, sorted. */
    public List<String> loaded() {
        return chaincodes.keySet().stream().sorted().toList();
    }

    /** Threads of the chaincode's transactions that did not stop after their deadline and still run. */
    public int runaway(String registeredId) {
        return find(registeredId).map(LoadedChaincode::runaway).orElse(0);
    }

    /** The class loader of a loaded chaincode, for tests of isolation and unloading. */
    Optional<ClassLoader> classLoader(String registeredId) {
        return find(registeredId).map(LoadedChaincode::loader);
    }

    /**
     * As {@link org.banyan.node.chaincode.ChaincodeRuntime#execute(String, ChaincodeInput, TransactionContext)}:
     * a new simulator over the channel's committed state, the chaincode resolved through the resolver.
     */
    public ChaincodeResult execute(String chaincodeName, ChaincodeInput input, TransactionContext context) {
        return ChaincodeExecutor.resolveAndExecute(this, options.resolver(), ledgers, chaincodeName, input, context);
    }

    /**
     * Executes one transaction on the chaincode loaded as {@code registeredId}, over the transaction's simulator
     * (its reads so far stay in the read/write set), and ends the simulation: the shape of
     * {@link ChaincodeExecutor}. Blocks the caller up to the execute timeout; the chaincode
     * runs on one of its own threads.
     *
     * @throws ChaincodeExecutionException with the chaincode runtime's (Fabric's) message when there is no
     *     response: unknown channel, nothing loaded as {@code registeredId}, timeout, or the chaincode answered
     *     {@code ERROR} ({@code transaction returned with failure: ...})
     */
    @Override
    public ChaincodeResult execute(String chaincodeName, String registeredId, ChaincodeInput input,
            TransactionContext context, TxSimulator simulator) {
        long deadlineNanos = System.nanoTime() + limits.executeTimeout().toNanos();
        ChannelLedger ledger = ledgers.apply(context.channelId()).orElseThrow(() ->
                ChaincodeAnswers.noLedger(context.channelId()));
        String txId = context.txId();
        try {
            checkOpen();
            LoadedChaincode chaincode = find(registeredId).orElseThrow(() ->
                    ChaincodeAnswers.notRunning(chaincodeName, registeredId, context.channelId()));
            ChaincodeRequests requests = ChaincodeRequests.open(context, chaincodeName, simulator, ledger,
                    deadlineNanos, limits);
            InProcessTransaction transaction = new InProcessTransaction(this, requests, input,
                    new InProcessTransaction.Execution(requests));
            PortAnswer answer;
            try {
                answer = chaincode.runOnOwnThread(transaction);
            } catch (ChaincodeExecutionException e) {
                throw ChaincodeAnswers.failedToExecute(txId, ChaincodeAnswers.errorSending(e));
            }
            return InProcessTransaction.result(chaincode.chaincodeId(), chaincodeName, txId, answer, simulator);
        } finally {
            simulator.done();
        }
    }

    /**
     * Runs the callee of an in-process chaincode's {@code INVOKE_CHAINCODE}: on the caller's thread when it is
     * loaded here, else through {@link Options#others()}.
     */
    Optional<PortAnswer> runNested(String registeredId, ChaincodeRequests callee, ChaincodeInput input,
            InProcessTransaction.Execution execution) {
        Optional<LoadedChaincode> loaded = find(registeredId);
        if (loaded.isPresent()) {
            try {
                return Optional.of(loaded.get().runOnThisThread(
                        new InProcessTransaction(this, callee, input, execution)));
            } catch (ChaincodeExecutionException e) {
                throw ChaincodeAnswers.errorSending(e);
            }
        }
        return options.others().invoke(new NestedChaincodes.Call(registeredId, callee.chaincodeName(), input,
                callee.context(), callee.simulator(), callee.depth(), callee.deadlineNanos()))
                .map(InProcessTransaction::answer);
    }

    Options options() {
        return options;
    }

    void checkOpen() {
        if (closed) {
            throw new ChaincodeExecutionException("the in-process chaincodes are closed");
        }
    }

    /**
     * The chaincode loaded as exactly {@code id}; failing that, one loaded as {@code id:version} (development mode,
     * where a transaction names the chaincode without its version), as the chaincode runtime finds processes.
     */
    private Optional<LoadedChaincode> find(String id) {
        LoadedChaincode chaincode = chaincodes.get(id);
        if (chaincode == null) {
            chaincode = chaincodes.values().stream().filter(c -> c.chaincodeId().getName().equals(id)
                    && !c.chaincodeId().getVersion().isEmpty()).findFirst().orElse(null);
        }
        return Optional.ofNullable(chaincode);
    }

    /**
     * Unloads a chaincode: later transactions do not find it; running ones get up to the execute timeout to end,
     * then are interrupted; its threads end and its class loader is closed and released (unless a thread that
     * ignores interrupts still runs its code).
     *
     * @return false when nothing was loaded as {@code registeredId}
     */
    public boolean unload(String registeredId) {
        LoadedChaincode chaincode;
        loading.lock();
        try {
            chaincode = chaincodes.remove(registeredId);
        } finally {
            loading.unlock();
        }
        if (chaincode == null) {
            return false;
        }
        chaincode.close(limits.executeTimeout());
        JvmGlobals.removeProviders(chaincode.loader());
        LOG.log(System.Logger.Level.INFO, "chaincode {0} unloaded", registeredId);
        return true;
    }

    /** Unloads every chaincode. */
    @Override
    public void close() {
        closed = true;
        for (String id : List.copyOf(chaincodes.keySet())) {
            unload(id);
        }
    }

    private static void closeQuietly(ChaincodeClassLoader loader) {
        try {
            loader.close();
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + loader.getName() + " failed", e);
        }
    }
}
