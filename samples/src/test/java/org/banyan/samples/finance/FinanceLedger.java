package org.banyan.samples.finance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.banyan.crypto.SigningIdentity;
import org.banyan.ledger.state.VersionedValue;
import org.banyan.node.chaincode.ChaincodeLimits;
import org.banyan.node.chaincode.ChaincodeResult;
import org.banyan.node.chaincode.inprocess.InProcessChaincodes;
import org.banyan.protocol.testing.TestChains;
import org.banyan.samples.testing.ChaincodeClassPath;
import org.banyan.samples.testing.ChaincodeTestbed;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

/**
 * The finance contracts on a real ledger: the samples' chaincode loaded in-process (its own class loader, started
 * as Fabric's {@code ContractRouter}), proposals signed by the organisations' identities, each successful submit
 * committed as the next block so later calls read committed state. No state is mocked.
 */
public final class FinanceLedger implements AutoCloseable {
    /** The samples' jar, deployed under two names so that contracts call each other chaincode to chaincode. */
    public static final String CURRENCY = "currency";
    public static final String BILLS = "bills";
    public static final SigningIdentity CENTRAL_BANK_ADMIN = identity("CentralBankMSP", "admin", "Admin@centralbank");
    public static final SigningIdentity CENTRAL_BANK_USER = identity("CentralBankMSP", "client", "User1@centralbank");
    public static final SigningIdentity BANK_A_USER = identity("BankAMSP", "client", "User1@banka");
    public static final SigningIdentity BANK_A_ADMIN = identity("BankAMSP", "admin", "Admin@banka");
    public static final SigningIdentity BANK_B_USER = identity("BankBMSP", "client", "User1@bankb");
    public static final SigningIdentity BANK_B_ADMIN = identity("BankBMSP", "admin", "Admin@bankb");
    public static final SigningIdentity BANK_C_USER = identity("BankCMSP", "client", "User1@bankc");
    public static final SigningIdentity BANK_C_ADMIN = identity("BankCMSP", "admin", "Admin@bankc");
    public static final SigningIdentity AIRLINE_ADMIN = identity("AirlineMSP", "admin", "Admin@airline");
    public static final SigningIdentity AIRLINE_USER = identity("AirlineMSP", "client", "User1@airline");
    public static final SigningIdentity REGULATOR_ADMIN = identity("RegulatorMSP", "admin", "Admin@regulator");
    public static final SigningIdentity REGULATOR_USER = identity("RegulatorMSP", "client", "User1@regulator");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChaincodeTestbed testbed;
    private final InProcessChaincodes chaincodes;
    /** A directory this ledger made and deletes when it closes; null when the caller owns the directory. */
    private Path ownedDir;

    private FinanceLedger(ChaincodeTestbed testbed, InProcessChaincodes chaincodes) {
        this.testbed = testbed;
        this.chaincodes = chaincodes;
    }

    /**
     * A ledger in a new temporary directory, deleted by {@link #close()}, with the currency initialized (central
     * bank {@code CentralBankMSP}, regulator {@code RegulatorMSP}) and bills paid with it: for property classes,
     * whose lifecycle has no {@code @TempDir}.
     */
    public static FinanceLedger openInitialized() throws IOException {
        Path dir = java.nio.file.Files.createTempDirectory("finance-ledger");
        FinanceLedger ledger = open(dir);
        ledger.ownedDir = dir;
        ledger.initialize();
        return ledger;
    }

    /** Initializes the currency and the bills as {@link #openInitialized()} describes. */
    public void initialize() {
        for (Outcome outcome : java.util.List.of(
                submit(CENTRAL_BANK_ADMIN, "currency:Initialize", "CentralBankMSP", "RegulatorMSP"),
                submit(CENTRAL_BANK_ADMIN, "bill:Initialize", CURRENCY))) {
            if (!outcome.ok()) {
                throw new AssertionError("initializing: " + outcome.message());
            }
        }
    }

    public static FinanceLedger open(Path dir) throws IOException {
        ChaincodeLimits limits = ChaincodeLimits.defaults().withExecuteTimeout(Duration.ofSeconds(30));
        ChaincodeTestbed testbed = ChaincodeTestbed.open(dir, limits);
        InProcessChaincodes chaincodes = new InProcessChaincodes(testbed::ledger, limits);
        try {
            chaincodes.load(CURRENCY, ChaincodeClassPath.ofSamples());
            chaincodes.load(BILLS, ChaincodeClassPath.ofSamples());
        } catch (RuntimeException | Error e) {
            chaincodes.close();
            testbed.close();
            throw e;
        }
        return new FinanceLedger(testbed, chaincodes);
    }

    private static SigningIdentity identity(String mspId, String nodeOu, String name) {
        return TestChains.identity(mspId, nodeOu, name);
    }

    /** What one call answered. */
    public record Outcome(int status, String message, String payload, Optional<ChaincodeEvent> event) {
        public boolean ok() {
            return status == 200;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + payload, e);
            }
        }

        public String eventPayload() {
            return event.orElseThrow().getPayload().toStringUtf8();
        }
    }

    /**
     * Runs {@code function} as {@code client} on the chaincode its contract is deployed as ({@code currency:...}
     * on {@link #CURRENCY}, the others on {@link #BILLS}); commits it when it succeeds.
     */
    public Outcome submit(SigningIdentity client, String function, String... args) {
        return call(true, client, function, args);
    }

    /** Runs {@code function} as {@code client} without committing anything. */
    public Outcome evaluate(SigningIdentity client, String function, String... args) {
        return call(false, client, function, args);
    }

    /** The committed value of {@code key} in {@code chaincode}'s namespace, with its metadata. */
    public Optional<VersionedValue> committed(String chaincode, String key) {
        return testbed.ledger().state(chaincode, key);
    }

    /** Later proposals carry timestamps from {@code instant} on. */
    public void clockAt(java.time.Instant instant) {
        testbed.clockAt(instant);
    }

    private Outcome call(boolean commit, SigningIdentity client, String function, String... args) {
        String chaincode = function.startsWith("currency:") ? CURRENCY : BILLS;
        String[] all = new String[args.length + 1];
        all[0] = function;
        System.arraycopy(args, 0, all, 1, args.length);
        ChaincodeTestbed.Proposed proposed = testbed.propose(client, chaincode, Map.of(), all);
        ChaincodeResult result = chaincodes.execute(chaincode, proposed.input(), proposed.context());
        if (commit && result.response().getStatus() == 200) {
            testbed.commit(proposed, result);
        }
        return new Outcome(result.response().getStatus(), result.response().getMessage(),
                result.response().getPayload().toString(StandardCharsets.UTF_8), result.event());
    }

    @Override
    public void close() throws Exception {
        chaincodes.close();
        testbed.close();
        if (ownedDir != null) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(ownedDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
