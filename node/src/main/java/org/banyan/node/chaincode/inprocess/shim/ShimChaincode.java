package org.banyan.node.chaincode.inprocess.shim;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Properties;
import org.banyan.node.chaincode.inprocess.port.PortAnswer;
import org.banyan.node.chaincode.inprocess.port.PortChaincode;
import org.banyan.node.chaincode.inprocess.port.PortTransaction;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.traces.Traces;

/**
 * A chaincode started as Fabric's Java shim starts it, without the connection, and run per transaction as the shim's
 * {@code ChaincodeInvocationTask} runs it. The node calls {@link #load} once, reflectively, in the chaincode's class
 * loader, then {@link #execute} per transaction through {@link PortChaincode}.
 */
public final class ShimChaincode implements PortChaincode {
    /** The chaincode-as-a-service server {@code ContractRouter} starts after its scan: here nothing listens. */
    private static final ChaincodeServer NOT_LISTENING = new ChaincodeServer() {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    };

    private final Chaincode chaincode;

    private ShimChaincode(Chaincode chaincode) {
        this.chaincode = chaincode;
    }

    /**
     * Links the shim side against the chaincode's shim, so that a shim of another API (its protobuf classes in other
     * packages, a different {@code ChaincodeStub}) is found at load rather than in a transaction.
     *
     * @throws LinkageError when it does not link
     */
    public static void link() {
        for (Class<?> type : new Class<?>[] {ShimChaincode.class, ShimStub.class, ShimResults.class,
                ShimResultsWithMetadata.class, ShimKeyValue.class, ShimKeyModification.class}) {
            type.getDeclaredMethods(); // resolves every type in the signatures
        }
        ChaincodeStub.class.getMethods();
    }

    /**
     * Starts the chaincode registered as {@code registeredId} (its {@code CORE_CHAINCODE_ID_NAME}, given as Fabric's
     * {@code -i} option).
     *
     * <ul>
     *   <li>{@code chaincodeClass} empty: Fabric's contract API, as {@code ContractRouter.main} and the
     *       chaincode-as-a-service start: {@code new ContractRouter(args)}, then the {@code @Contract} scan and the
     *       metadata ({@code startRouterWithChaincodeServer}), with a server that does not listen.
     *   <li>else the class, a {@link Chaincode} with a public no-argument constructor (normally a
     *       {@link ChaincodeBase} subclass): constructed, then configured as {@code ChaincodeBase.start} configures
     *       it — environment, command line, options, {@code config.props}, traces — without the JVM-wide logging
     *       setup and the shim's thread-pool metrics, which in-process chaincode has no use for.
     * </ul>
     */
    public static PortChaincode load(String registeredId, String chaincodeClass) throws Exception {
        String[] args = {"-i", registeredId};
        if (chaincodeClass.isEmpty()) {
            ContractRouter router = new ContractRouter(args);
            router.startRouterWithChaincodeServer(NOT_LISTENING);
            return new ShimChaincode(router);
        }
        Class<?> type = Class.forName(chaincodeClass, true, ShimChaincode.class.getClassLoader());
        if (!Chaincode.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(chaincodeClass + " does not implement " + Chaincode.class.getName());
        }
        Chaincode chaincode = (Chaincode) type.getConstructor().newInstance();
        if (chaincode instanceof ChaincodeBase base) {
            base.processEnvironmentOptions();
            Method commandLine = ChaincodeBase.class.getDeclaredMethod("processCommandLineOptions", String[].class);
            commandLine.setAccessible(true);
            commandLine.invoke(base, (Object) args);
            base.validateOptions();
            Traces.initialize(base.getChaincodeConfig());
        } else {
            Traces.initialize(new Properties());
        }
        return new ShimChaincode(chaincode);
    }

    /**
     * As the shim's {@code ChaincodeInvocationTask.call}: a stub for the transaction, a trace span, {@code init} or
     * {@code invoke}; the response and event as {@code COMPLETED} (status 500 and above included), or what was
     * thrown, as its stack trace, as {@code ERROR}. An {@link Error} is not answered, as in the shim: it propagates.
     */
    @Override
    public PortAnswer execute(PortTransaction transaction) {
        Span span = null;
        try {
            ChaincodeStub stub = new ShimStub(transaction);
            span = Traces.getProvider().createSpan(stub);
            Chaincode.Response result = transaction.init() ? chaincode.init(stub) : chaincode.invoke(stub);
            // The shim reads the status this way, so a code it has no Status for fails here (ERROR), as there.
            if (result.getStatus().getCode() >= Chaincode.Response.Status.INTERNAL_SERVER_ERROR.getCode()
                    && span != null) {
                span.setStatus(StatusCode.ERROR, result.getMessage());
            }
            return completed(result, stub.getEvent());
        } catch (InvalidProtocolBufferException | NoSuchAlgorithmException | RuntimeException e) {
            if (span != null) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
            }
            return new PortAnswer.Failed(stackTrace(e));
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    /** The shim's {@code newCompletedEventMessage}: message and payload only when set. */
    private static PortAnswer completed(Chaincode.Response result, ChaincodeEvent event) {
        Optional<PortAnswer.PortEvent> portEvent = event == null ? Optional.empty()
                : Optional.of(new PortAnswer.PortEvent(event.getEventName(), event.getPayload().toByteArray()));
        return new PortAnswer.Completed(result.getStatus().getCode(), result.getMessage(), result.getPayload(),
                portEvent);
    }

    /** The shim's {@code printStackTrace}: what an {@code ERROR} from the Java shim carries. */
    private static String stackTrace(Throwable throwable) {
        StringWriter buffer = new StringWriter();
        throwable.printStackTrace(new PrintWriter(buffer));
        return buffer.toString();
    }
}
