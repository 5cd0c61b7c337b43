package org.banyan.node.chaincode.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.banyan.crypto.Assert;
import org.banyan.ledger.lifecycle.ChaincodePackage;
import org.banyan.ledger.lifecycle.CodeArchive;
import org.banyan.ledger.lifecycle.LifecycleException;
import org.banyan.ledger.lifecycle.PackageStore;
import org.banyan.node.chaincode.ChaincodeExecutionException;
import org.banyan.node.chaincode.ChaincodeRuntime;
import org.banyan.node.chaincode.ChaincodeStarter;
import org.banyan.node.chaincode.inprocess.ChaincodeLoadException;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;

/**
 * Runs the chaincode packages installed on a node, so that the endorser finds their chaincode registered under
 * the package ID: a prebuilt Java package (type {@code java}, {@link JavaPackage}) as a supervised child JVM
 * ({@link ChaincodeProcess}), a {@code ccaas} package by dialling the server its {@code connection.json} names
 * ({@link ChaincodeConnection}). Any other package (Go, Node, Java sources) is left to its operator, who starts the
 * chaincode with {@code CORE_CHAINCODE_ID_NAME=<package ID>} as before.
 *
 * <p>When: {@link #launch} at install and, when the node starts, for the packages its organisation approved for
 * committed definitions; otherwise at a transaction's first need ({@link #awaitStarted}, Fabric's lazy launch).
 * The transaction then waits for the registration, up to {@link LaunchSettings#startTimeout()}.
 *
 * <p>Each package gets a directory under {@link LaunchSettings#dir()}, named as its package file
 * ({@code <label>.<sha256>}): {@code code/} (the extracted {@code code.tar.gz}, extracted afresh at each node
 * start), {@code chaincode.log} (+ {@code .1}) and {@code chaincode.pid}.
 *
 * <p>Threads: one timer thread ({@code banyan-chaincode-launcher}) prepares packages, starts and restarts
 * processes, dials, and looks at every package every {@value #TICK_MILLIS} ms; one daemon thread per process
 * copies its output to the log. {@link #close} stops every process (SIGTERM, then SIGKILL after
 * {@value #STOP_WAIT_MILLIS} ms) and connection. Thread-safe.
 */
public final class ChaincodeLauncher implements ChaincodeStarter, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChaincodeLauncher.class.getName());
    static final long TICK_MILLIS = 200;
    static final long STOP_WAIT_MILLIS = 5_000;
    static final String CODE_DIR = "code";
    static final String LOG_FILE = "chaincode.log";
    static final String TYPE_JAVA = "java";
    static final String TYPE_CCAAS = "ccaas";
    /**
     * Banyan's package type for a prebuilt Java package (the {@code java} layout) its installer asks to run inside
     * the node's JVM; a node that allows no in-process chaincode does not run it.
     */
    public static final String TYPE_JAVA_IN_PROCESS = "java-in-process";

    private final ChaincodeRuntime runtime;
    private final PackageStore packages;
    private final LaunchSettings settings;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().daemon().name("banyan-chaincode-launcher").factory());
    /** Every package asked for, by package ID; at most {@link PackageStore#PACKAGES_MAX}. */
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Where prebuilt Java packages run instead of a child JVM, when the node runs them in-process. */
    private volatile InProcessChaincodes inProcess;
    /** Whether every Java package runs in-process, not only those of type {@value #TYPE_JAVA_IN_PROCESS}. */
    private volatile boolean allJavaInProcess;

    /**
     * @param runtime where the chaincode registers (the launcher dials into it for {@code ccaas} packages)
     * @param packages the node's installed packages
     */
    public ChaincodeLauncher(ChaincodeRuntime runtime, PackageStore packages, LaunchSettings settings) {
        this.runtime = runtime;
        this.packages = packages;
        this.settings = settings;
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Starts the timer thread's periodic look. */
    public ChaincodeLauncher start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    public LaunchSettings settings() {
        return settings;
    }

    /**
     * Lets the launcher load Java packages into this JVM with {@code runner}: packages of type
     * {@value #TYPE_JAVA_IN_PROCESS} always, and packages of type {@code java} too when {@code allJava}. Without
     * it, {@value #TYPE_JAVA_IN_PROCESS} packages are not run.
     */
    public ChaincodeLauncher inProcess(InProcessChaincodes runner, boolean allJava) {
        this.inProcess = runner;
        this.allJavaInProcess = allJava;
        return this;
    }

    /**
     * Runs an installed package, if it is one the node runs, in the background; a package asked for again is
     * left as it is. Returns at once and never throws: a package that cannot run gets state {@code NOT_RUN} and
     * the reason ({@link #status}). Nothing happens when launching is off or the package is not installed.
     */
    public void launch(String packageId) {
        entry(packageId);
    }

    private Optional<Entry> entry(String packageId) {
        if (closed || !settings.launch() || !packages.isInstalled(packageId)) {
            return Optional.ofNullable(entries.get(packageId));
        }
        AtomicReference<Entry> created = new AtomicReference<>();
        Entry entry = entries.computeIfAbsent(packageId, id -> {
            Assert.that(entries.size() <= PackageStore.PACKAGES_MAX, "launcher entries=%d", entries.size());
            created.set(new Entry(id));
            return created.get();
        });
        if (created.get() != null) {
            try {
                timer.execute(() -> prepare(entry));
            } catch (RejectedExecutionException e) {
                entry.notRun("the node is shutting down");
            }
        }
        return Optional.of(entry);
    }

    /**
     * Fabric's launch before execute: returns once the chaincode for {@code registeredId} registered, launching
     * an installed package met for the first time. Returns at once for an ID that is no installed package, or
     * when launching is off (the runtime then reports that no process is registered).
     *
     * @throws ChaincodeExecutionException {@code could not launch chaincode P: ...}: why the node does not run the
     *     package, why it is down (the process exited and restarts after a backoff; a dial failed), or Fabric's
     *     {@code timeout expired while starting chaincode P for transaction}
     */
    @Override
    public void awaitStarted(String registeredId, long waitNanosMax) {
        Optional<Entry> found = entry(registeredId);
        if (found.isEmpty()) {
            return;
        }
        Entry entry = found.get();
        long deadline = System.nanoTime() + Math.min(waitNanosMax, settings.startTimeout().toNanos());
        try {
            if (!entry.prepared.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ChaincodeExecutionException("could not launch chaincode " + registeredId
                        + ": timeout expired while starting chaincode " + registeredId + " for transaction");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaincodeExecutionException("could not launch chaincode " + registeredId
                    + ": interrupted while waiting for it to start");
        }
        if (entry.notRun != null) {
            throw new ChaincodeExecutionException("could not launch chaincode " + registeredId
                    + ": no chaincode process is registered with this ID, and the node does not run this package: "
                    + entry.notRun);
        }
        Supervised supervised = entry.supervised;
        if (supervised != null) { // null: loaded in-process, where the node executes it (awaitPrepared)
            supervised.awaitRegistered(Math.max(0, deadline - System.nanoTime()));
        }
    }

    /**
     * Waits until the launcher has prepared {@code registeredId} (bounded by the start timeout and
     * {@code waitNanosMax}) and tells whether it was loaded in-process, so that a transaction arriving while a
     * package is still being loaded into this JVM waits for it instead of looking for a process.
     */
    public boolean awaitPrepared(String registeredId, long waitNanosMax) {
        Optional<Entry> found = entry(registeredId);
        if (found.isEmpty()) {
            return false;
        }
        try {
            found.get().prepared.await(Math.min(waitNanosMax, settings.startTimeout().toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return found.get().inProcess;
    }

    /** Every package asked for, sorted by package ID. */
    public List<ChaincodeStatus> status() {
        return entries.values().stream().map(entry -> entry.status(runtime))
                .sorted(Comparator.comparing(ChaincodeStatus::packageId)).toList();
    }

    /** One package, when it was asked for. */
    public Optional<ChaincodeStatus> status(String packageId) {
        return Optional.ofNullable(entries.get(packageId)).map(entry -> entry.status(runtime));
    }

    /** Reads the package and starts what it holds (timer thread). */
    private void prepare(Entry entry) {
        if (closed) {
            entry.notRun("the node is shutting down");
            return;
        }
        Supervised supervised;
        try {
            ChaincodePackage parsed = ChaincodePackage.parse(packages.load(entry.packageId));
            InProcessChaincodes runner = inProcess;
            String type = parsed.type().toLowerCase(Locale.ROOT);
            if (type.equals(TYPE_JAVA_IN_PROCESS) && runner == null) {
                throw new NotLaunchableException("a package of type " + TYPE_JAVA_IN_PROCESS + ", and this node runs"
                        + " no chaincode in-process (chaincode.allowInProcess: false); package it as type java to"
                        + " run it as a process");
            }
            if (runner != null && (type.equals(TYPE_JAVA_IN_PROCESS) || allJavaInProcess && type.equals(TYPE_JAVA))) {
                loadInProcess(entry, parsed, runner);
                return;
            }
            supervised = switch (parsed.type().toLowerCase(Locale.ROOT)) {
                case TYPE_JAVA -> javaProcess(entry.packageId, parsed);
                case TYPE_CCAAS -> connection(entry.packageId, parsed);
                default -> throw new NotLaunchableException("a package of type '" + parsed.type()
                        + "': Banyan launches prebuilt Java packages (type java) and dials ccaas packages; run"
                        + " this chaincode yourself");
            };
        } catch (NotLaunchableException e) {
            LOG.log(System.Logger.Level.INFO, "chaincode {0}: not run by the node: {1}", entry.packageId,
                    e.getMessage());
            entry.notRun(e.getMessage());
            return;
        } catch (LifecycleException | IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "chaincode " + entry.packageId + ": cannot prepare the package", e);
            entry.notRun("the node could not prepare the package: " + e.getMessage());
            return;
        }
        entry.run(supervised);
        if (closed) {
            supervised.stop(); // close() may have looked at the entries before this one ran
            return;
        }
        supervised.begin();
        supervised.up();
    }

    /** Extracts the package and loads its jars into {@code runner}; a chaincode that does not load is not run. */
    private void loadInProcess(Entry entry, ChaincodePackage parsed, InProcessChaincodes runner)
            throws NotLaunchableException, IOException {
        Path code = packageDir(entry.packageId).resolve(CODE_DIR);
        extract(parsed, code);
        JavaPackage java = JavaPackage.inspect(code);
        try {
            runner.load(entry.packageId, java.classpath());
        } catch (ChaincodeLoadException e) {
            throw new NotLaunchableException("the package does not load in-process: " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "chaincode {0}: loaded in-process ({1} jars)", entry.packageId,
                java.classpath().size());
        entry.loadedInProcess();
    }

    private Supervised javaProcess(String packageId, ChaincodePackage parsed)
            throws NotLaunchableException, IOException {
        requireRoom(ChaincodeProcess.class, LaunchSettings.PROCESSES_MAX, "the node runs %d chaincode processes");
        Path dir = packageDir(packageId);
        Path code = dir.resolve(CODE_DIR);
        RotatingLog log = new RotatingLog(dir.resolve(LOG_FILE), settings.logBytesMax());
        try {
            ChaincodeProcess.stopLeftover(dir, code, log);
            extract(parsed, code);
            JavaPackage java = JavaPackage.inspect(code);
            log.line("package " + packageId + ": " + java.classpath().size() + " jars, main class "
                    + java.mainClass());
            return new ChaincodeProcess(packageId, java, dir, log, runtime, settings, timer);
        } catch (NotLaunchableException | IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private Supervised connection(String packageId, ChaincodePackage parsed)
            throws NotLaunchableException, IOException {
        requireRoom(ChaincodeConnection.class, LaunchSettings.CONNECTIONS_MAX, "the node dials %d chaincode servers");
        byte[][] found = new byte[1][];
        CodeArchive.forEachFile(parsed.codePackage(), (name, content) -> {
            if (name.equals(ConnectionInfo.FILE)) {
                found[0] = content;
            }
        });
        if (found[0] == null) {
            throw new NotLaunchableException("a ccaas package without " + ConnectionInfo.FILE);
        }
        return new ChaincodeConnection(packageId, ConnectionInfo.parse(found[0]), runtime, settings, timer);
    }

    /** Refuses one more of {@code kind} past {@code max} ({@code already} formats the reason with it). */
    private void requireRoom(Class<? extends Supervised> kind, int max, String already)
            throws NotLaunchableException {
        if (entries.values().stream().filter(e -> kind.isInstance(e.supervised)).count() >= max) {
            throw new NotLaunchableException(String.format(already, max) + " already");
        }
    }

    /** {@code <label>.<sha256>}, the package file's name without {@code .tar.gz}. */
    private Path packageDir(String packageId) {
        Path dir = settings.dir().resolve(packageId.replaceFirst(":", "."));
        Assert.that(dir.getParent().equals(settings.dir()), "package directory %s outside %s", dir, settings.dir());
        return dir;
    }

    /** Extracts {@code code.tar.gz} into {@code code}, replacing what was there, through a temporary directory. */
    private static void extract(ChaincodePackage parsed, Path code) throws IOException {
        Path temporary = code.resolveSibling(CODE_DIR + ".extracting");
        deleteTree(temporary);
        Files.createDirectories(temporary);
        CodeArchive.forEachFile(parsed.codePackage(), (name, content) -> {
            Path file = temporary.resolve(name).normalize();
            Assert.that(file.startsWith(temporary), "code file %s outside %s", file, temporary);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        });
        deleteTree(code);
        Files.move(temporary, code, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(visited);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void tick() {
        for (Entry entry : entries.values()) {
            Supervised supervised = entry.supervised;
            if (supervised != null) {
                try {
                    supervised.tick();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "chaincode " + entry.packageId + ": supervision failed", e);
                }
            }
        }
    }

    /** Stops every process and connection: SIGTERM, then SIGKILL what is left after a grace period. */
    @Override
    public void close() {
        closed = true;
        List<Supervised> running = new ArrayList<>();
        for (Entry entry : entries.values()) {
            Supervised supervised = entry.supervised;
            if (supervised != null) {
                supervised.stop();
                running.add(supervised);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Supervised supervised : running) {
            supervised.awaitDown(deadline);
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the chaincode launcher thread did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A package asked for: being prepared, not run (with why), or run by a {@link Supervised}. */
    private static final class Entry {
        final String packageId;
        final CountDownLatch prepared = new CountDownLatch(1);
        volatile Supervised supervised;
        volatile String notRun;
        volatile boolean inProcess;

        Entry(String packageId) {
            this.packageId = packageId;
        }

        void notRun(String reason) {
            notRun = reason;
            prepared.countDown();
        }

        void run(Supervised running) {
            supervised = running;
            prepared.countDown();
        }

        void loadedInProcess() {
            inProcess = true;
            prepared.countDown();
        }

        ChaincodeStatus status(ChaincodeRuntime runtime) {
            Supervised running = supervised;
            if (running != null) {
                return running.status();
            }
            if (inProcess) {
                return new ChaincodeStatus(packageId, ChaincodeStatus.Mode.IN_PROCESS, "RUNNING", false, "", -1, "",
                        0, 0, "");
            }
            String reason = notRun;
            return new ChaincodeStatus(packageId, ChaincodeStatus.Mode.NONE, reason == null ? "PREPARING" : "NOT_RUN",
                    runtime.isRegistered(packageId), reason == null ? "" : reason, -1, "", 0, -1, "");
        }
    }
}
