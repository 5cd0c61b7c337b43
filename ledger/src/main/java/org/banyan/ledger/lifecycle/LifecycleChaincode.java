package org.banyan.ledger.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.banyan.crypto.msp.MspRegistry;
import org.banyan.crypto.msp.MspRole;
import org.banyan.crypto.msp.MspVerdict;
import org.banyan.ledger.CommittedState;
import org.banyan.ledger.simulation.TxSimulator;
import org.banyan.protocol.policy.PolicyVerdict;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageResult;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;

/**
 * Fabric's {@code _lifecycle} system chaincode, as a plain component an endorsing node calls: Fabric's function
 * names, arguments ({@code [function name, encoded <Function>Args]}) and results (an encoded
 * {@code <Function>Result} as the payload of a status-200 {@link Response}); failures are Fabric's responses —
 * status 500 {@code failed to invoke backing implementation of '<Function>': <reason>}, status 404 for a
 * definition that does not exist, {@code Failed to authorize invocation due to failed ACL check: …} for a
 * creator Fabric's default ACLs refuse.
 *
 * <p>Channel functions run over the proposal's {@link TxSimulator}: their reads and writes of namespace
 * {@value LifecycleNamespace#NAME} become the transaction's read/write set, validated (endorsement policy,
 * MVCC) like any transaction's. Node-local functions ({@code InstallChaincode}, {@code QueryInstalledChaincode(s)},
 * {@code GetInstalledChaincodePackage}) use this node's {@link PackageStore} and write no state.
 *
 * <p>ACLs (Fabric's defaults): installs, queries of installed packages, {@code ApproveChaincodeDefinitionForMyOrg}
 * and {@code QueryApprovedChaincodeDefinition} need an admin of this node's organisation (local MSP
 * {@code Admins}); {@code CheckCommitReadiness}, {@code CommitChaincodeDefinition} and
 * {@code QueryChaincodeDefinition(s)} need the channel's {@value LifecycleNamespace#CHANNEL_WRITERS_POLICY}.
 * The caller has verified the proposal's signature; the creator is checked here for role and validity at
 * {@code now}.
 *
 * <p>Thread-safe: one instance per node, any number of concurrent invocations (each with its own simulator).
 */
public final class LifecycleChaincode {
    /** Fabric's {@code scc.SysCCVersion}. */
    public static final String SYSTEM_CHAINCODE_VERSION = "syscc";

    private final String mspId;
    private final MspRegistry localMsp;
    private final PackageStore packages;
    private final Supplier<? extends Map<String, ? extends CommittedState>> hostedChannels;

    private enum Acl { LOCAL_ADMINS, CHANNEL_WRITERS }

    /**
     * @param localMsp this node's organisation's MSP (Fabric's local MSP): approvals are recorded for it, and
     *     its admins may install and approve
     * @param packages this node's installed packages
     * @param hostedChannels the channels this node hosts, by ID, with their committed state: where an installed
     *     package's references (chaincodes it runs) are looked up
     */
    public LifecycleChaincode(FabricMSPConfig localMsp, PackageStore packages,
                              Supplier<? extends Map<String, ? extends CommittedState>> hostedChannels) {
        this.mspId = Objects.requireNonNull(localMsp, "localMsp").getName();
        this.localMsp = MspRegistry.of(List.of(localMsp));
        this.packages = Objects.requireNonNull(packages, "packages");
        this.hostedChannels = Objects.requireNonNull(hostedChannels, "hostedChannels");
    }

    /** This node's organisation. */
    public String mspId() {
        return mspId;
    }

    public PackageStore packages() {
        return packages;
    }

    /**
     * Runs a node-local function, outside any channel (a proposal with an empty channel ID, as
     * {@code peer lifecycle chaincode install} and {@code queryinstalled} send).
     *
     * @param args the proposal's {@code ChaincodeInput.args}: function name, encoded arguments
     * @param creator the proposal creator's {@code SerializedIdentity}, signature already verified
     * @param now the instant certificates are checked at
     */
    public Response invoke(List<ByteString> args, ByteString creator, Instant now) {
        return dispatch(args, creator, now, null, null);
    }

    /**
     * Runs a function on a channel, its state reads and writes going through {@code simulator}.
     *
     * @param simulator the proposal's simulator over the channel's committed state; its results are the proposal
     *     response's read/write set (only when the response is status 200)
     */
    public Response invoke(List<ByteString> args, ByteString creator, Instant now, LifecycleChannel channel,
                           TxSimulator simulator) {
        return dispatch(args, creator, now, Objects.requireNonNull(channel, "channel"),
                Objects.requireNonNull(simulator, "simulator"));
    }

    /**
     * What the endorser checks before running a proposal for {@code chaincodeName} (Fabric's
     * {@code ChaincodeEndorsementInfo}): the chaincode is committed on the channel, this node's organisation
     * approved the committed definition, and the package it approved is installed here. The current sequence is
     * read through {@code simulator}, as Fabric does, so the proposal's read/write set holds
     * {@code _lifecycle/namespaces/fields/<cc>/Sequence} and a transaction endorsed under a definition that
     * changes before it commits is invalidated (MVCC); the rest is read from {@code committed}.
     *
     * @throws LifecycleException with the endorser's message, e.g. {@code make sure the chaincode X has been
     *     successfully defined on channel Y and try again: chaincode X not found} or {@code …: chaincode
     *     definition for 'X' exists, but chaincode is not installed}
     */
    public InvocableChaincode invocable(LifecycleChannel channel, String chaincodeName, TxSimulator simulator,
                                        CommittedState committed) {
        if (chaincodeName.equals(LifecycleNamespace.NAME)) {
            return new InvocableChaincode(chaincodeName, 1, SYSTEM_CHAINCODE_VERSION, false,
                    LifecycleNamespace.DEFAULT_ENDORSEMENT_PLUGIN, chaincodeName + "." + SYSTEM_CHAINCODE_VERSION);
        }
        String context = "make sure the chaincode " + chaincodeName + " has been successfully defined on channel "
                + channel.channelId() + " and try again";
        try {
            return invocableUnwrapped(channel, chaincodeName, LifecycleState.of(simulator),
                    LifecycleState.readOnly(committed));
        } catch (LifecycleException e) {
            throw e.withContext(context);
        }
    }

    /**
     * The packages this node's organisation approved for the current definitions of the chaincodes committed on
     * the hosted channels, installed here or not, sorted: what the node will be asked to run (a node launches
     * them when it starts). Reads committed state only.
     */
    public SortedSet<String> approvedPackages() {
        SortedSet<String> packages = new java.util.TreeSet<>();
        hostedChannels.get().values().forEach(state ->
                packages.addAll(DefinitionFunctions.approvedPackages(LifecycleState.readOnly(state), mspId)));
        return packages;
    }

    private InvocableChaincode invocableUnwrapped(LifecycleChannel channel, String name, LifecycleState proposal,
                                                  LifecycleState committed) {
        long sequence = DefinedChaincode.currentSequence(proposal, name);
        if (sequence == 0) {
            // Fabric falls back to the legacy lifecycle, which answers this.
            throw new LifecycleException("chaincode " + name + " not found");
        }
        DefinedChaincode defined = DefinedChaincode.read(committed, name)
                .filter(d -> d.sequence() == sequence)
                .orElseThrow(() -> new LifecycleException("chaincode cache at sequence "
                        + DefinedChaincode.currentSequence(committed, name) + " but current sequence is " + sequence
                        + ", chaincode definition for '" + name + "' changed during invoke"));
        OrgApprovals mine = new OrgApprovals(mspId, committed);
        if (!mine.approved(name, sequence, defined.parameters())) {
            throw new LifecycleException("chaincode definition for '" + name + "' at sequence " + sequence
                    + " on channel '" + channel.channelId() + "' has not yet been approved by this org");
        }
        String packageId = mine.packageId(name, sequence).orElse("");
        if (packageId.isEmpty() || !packages.isInstalled(packageId)) {
            throw new LifecycleException("chaincode definition for '" + name + "' exists, but chaincode is not installed");
        }
        ChaincodeParameters p = defined.parameters();
        return new InvocableChaincode(name, sequence, p.version(), p.endorsementInfo().getInitRequired(),
                p.endorsementInfo().getEndorsementPlugin(), packageId);
    }

    private Response dispatch(List<ByteString> args, ByteString creator, Instant now, LifecycleChannel channel,
                              TxSimulator simulator) {
        if (args.isEmpty()) {
            return error("lifecycle scc must be invoked with arguments");
        }
        if (args.size() != 2) {
            return error("lifecycle scc operations require exactly two arguments but received " + args.size());
        }
        String function = args.get(0).toStringUtf8();
        Acl acl = acl(function);
        if (acl == null) {
            return error("Failed to authorize invocation due to failed ACL check: Unmapped policy for "
                    + LifecycleNamespace.NAME + "/" + function);
        }
        String denied = acl == Acl.LOCAL_ADMINS ? checkLocalAdmin(creator, now) : checkWriters(channel, creator, now);
        if (denied != null) {
            return error("Failed to authorize invocation due to failed ACL check: " + denied);
        }
        try {
            Message result = run(function, args.get(1), channel, simulator);
            return Response.newBuilder().setStatus(200).setPayload(result.toByteString()).build();
        } catch (LifecycleException e) {
            if (e.status() == LifecycleException.STATUS_NOT_FOUND) {
                return Response.newBuilder().setStatus(e.status()).setMessage(e.getMessage()).build();
            }
            return error("failed to invoke backing implementation of '" + function + "': " + e.getMessage());
        } catch (UncheckedIOException e) {
            return error("failed to invoke backing implementation of '" + function + "': " + e.getMessage());
        }
    }

    private static Acl acl(String function) {
        return switch (function) {
            case LifecycleNamespace.INSTALL_CHAINCODE, LifecycleNamespace.QUERY_INSTALLED_CHAINCODE,
                 LifecycleNamespace.QUERY_INSTALLED_CHAINCODES, LifecycleNamespace.GET_INSTALLED_CHAINCODE_PACKAGE,
                 LifecycleNamespace.APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG,
                 LifecycleNamespace.QUERY_APPROVED_CHAINCODE_DEFINITION -> Acl.LOCAL_ADMINS;
            case LifecycleNamespace.CHECK_COMMIT_READINESS, LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION,
                 LifecycleNamespace.QUERY_CHAINCODE_DEFINITION, LifecycleNamespace.QUERY_CHAINCODE_DEFINITIONS ->
                    Acl.CHANNEL_WRITERS;
            default -> null;
        };
    }

    private Message run(String function, ByteString input, LifecycleChannel channel, TxSimulator simulator) {
        return switch (function) {
            case LifecycleNamespace.INSTALL_CHAINCODE -> {
                InstalledPackage installed = packages.install(
                        decode(function, input, InstallChaincodeArgs.parser()).getChaincodeInstallPackage().toByteArray());
                yield InstallChaincodeResult.newBuilder().setPackageId(installed.packageId()).setLabel(installed.label())
                        .build();
            }
            case LifecycleNamespace.QUERY_INSTALLED_CHAINCODE ->
                    queryInstalled(decode(function, input, QueryInstalledChaincodeArgs.parser()).getPackageId());
            case LifecycleNamespace.QUERY_INSTALLED_CHAINCODES -> {
                decode(function, input, QueryInstalledChaincodesArgs.parser());
                yield queryAllInstalled();
            }
            case LifecycleNamespace.GET_INSTALLED_CHAINCODE_PACKAGE -> {
                String packageId = decode(function, input, GetInstalledChaincodePackageArgs.parser()).getPackageId();
                byte[] bytes;
                try {
                    bytes = packages.load(packageId);
                } catch (LifecycleException e) {
                    throw e.withContext("could not load cc install package");
                }
                yield GetInstalledChaincodePackageResult.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(bytes))
                        .build();
            }
            default -> runOnChannel(function, input, channel, simulator);
        };
    }

    private Message runOnChannel(String function, ByteString input, LifecycleChannel channel, TxSimulator simulator) {
        if (channel == null) {
            throw new LifecycleException("no application config for channel ''");
        }
        DefinitionFunctions functions = new DefinitionFunctions(channel, mspId, LifecycleState.of(simulator));
        return switch (function) {
            case LifecycleNamespace.APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG ->
                    functions.approve(decode(function, input, ApproveChaincodeDefinitionForMyOrgArgs.parser()));
            case LifecycleNamespace.QUERY_APPROVED_CHAINCODE_DEFINITION ->
                    functions.queryApproved(decode(function, input, QueryApprovedChaincodeDefinitionArgs.parser()));
            case LifecycleNamespace.CHECK_COMMIT_READINESS ->
                    functions.checkCommitReadiness(decode(function, input, CheckCommitReadinessArgs.parser()));
            case LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION ->
                    functions.commit(decode(function, input, CommitChaincodeDefinitionArgs.parser()));
            case LifecycleNamespace.QUERY_CHAINCODE_DEFINITION ->
                    functions.queryDefinition(decode(function, input, QueryChaincodeDefinitionArgs.parser()));
            case LifecycleNamespace.QUERY_CHAINCODE_DEFINITIONS -> {
                decode(function, input, QueryChaincodeDefinitionsArgs.parser());
                yield functions.queryDefinitions();
            }
            default -> throw new AssertionError("function " + function + " has an ACL but no implementation");
        };
    }

    private QueryInstalledChaincodeResult queryInstalled(String packageId) {
        InstalledPackage installed = packages.find(packageId).orElseThrow(() -> new LifecycleException(
                "could not find chaincode with package id '" + packageId + "'"));
        QueryInstalledChaincodeResult.Builder result = QueryInstalledChaincodeResult.newBuilder()
                .setPackageId(installed.packageId()).setLabel(installed.label());
        references(installed.packageId()).forEach((channelId, chaincodes) -> {
            QueryInstalledChaincodeResult.References.Builder refs = QueryInstalledChaincodeResult.References.newBuilder();
            chaincodes.forEach((name, version) -> refs.addChaincodes(
                    QueryInstalledChaincodeResult.Chaincode.newBuilder().setName(name).setVersion(version)));
            result.putReferences(channelId, refs.build());
        });
        return result.build();
    }

    private QueryInstalledChaincodesResult queryAllInstalled() {
        QueryInstalledChaincodesResult.Builder result = QueryInstalledChaincodesResult.newBuilder();
        for (InstalledPackage installed : packages.list()) {
            QueryInstalledChaincodesResult.InstalledChaincode.Builder entry = QueryInstalledChaincodesResult
                    .InstalledChaincode.newBuilder().setPackageId(installed.packageId()).setLabel(installed.label());
            references(installed.packageId()).forEach((channelId, chaincodes) -> {
                QueryInstalledChaincodesResult.References.Builder refs =
                        QueryInstalledChaincodesResult.References.newBuilder();
                chaincodes.forEach((name, version) -> refs.addChaincodes(
                        QueryInstalledChaincodesResult.Chaincode.newBuilder().setName(name).setVersion(version)));
                entry.putReferences(channelId, refs.build());
            });
            result.addInstalledChaincodes(entry);
        }
        return result.build();
    }

    /** Channel → (chaincode → version) of the committed definitions that run this package here, sorted. */
    private SortedMap<String, SortedMap<String, String>> references(String packageId) {
        SortedMap<String, SortedMap<String, String>> references = new TreeMap<>();
        new TreeMap<String, CommittedState>(hostedChannels.get()).forEach((channelId, state) -> {
            SortedMap<String, String> chaincodes =
                    DefinitionFunctions.references(LifecycleState.readOnly(state), mspId, packageId);
            if (!chaincodes.isEmpty()) {
                references.put(channelId, chaincodes);
            }
        });
        return references;
    }

    private static <M extends Message> M decode(String function, ByteString input, com.google.protobuf.Parser<M> parser) {
        try {
            return parser.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not decode input arg for *lifecycle.Invocation." + function + ": "
                    + e.getMessage(), e);
        }
    }

    /** Null when the creator is a valid admin of this node's organisation (local MSP {@code Admins}), else why not. */
    private String checkLocalAdmin(ByteString creator, Instant now) {
        MspVerdict verdict = localMsp.validate(creator.toByteArray(), MspRole.ADMIN, now);
        return verdict.isValid() ? null : "Failed verifying that proposal's creator satisfies local MSP principal"
                + " during channelless check policy with policy [Admins]: [" + verdict.detail() + "]";
    }

    /** Null when the creator satisfies the channel's Writers policy, else why not. */
    private static String checkWriters(LifecycleChannel channel, ByteString creator, Instant now) {
        if (channel == null) {
            return "no policy " + LifecycleNamespace.CHANNEL_WRITERS_POLICY + " outside a channel";
        }
        PolicyVerdict verdict = channel.policies().evaluate(LifecycleNamespace.CHANNEL_WRITERS_POLICY, List.of(creator), now);
        return verdict.satisfied() ? null : "failed evaluating policy on signed data during check policy ["
                + LifecycleNamespace.CHANNEL_WRITERS_POLICY + "]: [" + verdict.reason() + "]";
    }

    private static Response error(String message) {
        return Response.newBuilder().setStatus(LifecycleException.STATUS_ERROR).setMessage(message).build();
    }
}
