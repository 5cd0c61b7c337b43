package org.banyan.ledger.lifecycle;

import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgResult;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeEndorsementInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeValidationInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;

/**
 * The channel-scoped {@code _lifecycle} functions, over one transaction's view of namespace
 * {@value LifecycleNamespace#NAME} — Fabric's {@code ExternalFunctions} and the SCC's argument handling, with
 * Fabric's rules and messages:
 *
 * <ul>
 *   <li>an approval is for the current sequence (then it must equal the committed definition) or the next one;
 *   <li>a commit is for exactly the next sequence, and reads every organisation's approval of it (so any change
 *       to an approval before the commit is ordered invalidates the commit, MVCC); the node endorses it only if
 *       its own organisation approved — that, with the channel's {@code LifecycleEndorsement} policy checked at
 *       validation (a majority of organisations by default), is the majority rule.
 * </ul>
 *
 * Not thread-safe: one per invocation.
 */
final class DefinitionFunctions {
    private static final Set<String> SYSTEM_CHAINCODES = Set.of("cscc", "escc", "lscc", "qscc", "vscc");

    private final LifecycleChannel channel;
    private final String myOrg;
    private final LifecycleState state;

    DefinitionFunctions(LifecycleChannel channel, String myOrg, LifecycleState state) {
        this.channel = channel;
        this.myOrg = myOrg;
        this.state = state;
    }

    ApproveChaincodeDefinitionForMyOrgResult approve(ApproveChaincodeDefinitionForMyOrgArgs input) {
        validateInput(input.getName(), input.getVersion(), input.getCollections());
        requireMember();
        String packageId = input.hasSource() && input.getSource().hasLocalPackage()
                ? input.getSource().getLocalPackage().getPackageId() : "";
        ChaincodeParameters requested = parameters(input.getVersion(), input.getEndorsementPlugin(),
                input.getInitRequired(), input.getValidationPlugin(), input.getValidationParameter(),
                input.getCollections());
        approveForOrg(input.getName(), input.getSequence(), requested, packageId);
        return ApproveChaincodeDefinitionForMyOrgResult.getDefaultInstance();
    }

    /** Fabric's {@code ApproveChaincodeDefinitionForOrg}. */
    private void approveForOrg(String name, long requestedSequence, ChaincodeParameters requested, String packageId) {
        long currentSequence = DefinedChaincode.currentSequence(state, name);
        if (currentSequence == requestedSequence && requestedSequence == 0) {
            throw new LifecycleException("requested sequence is 0, but first definable sequence number is 1");
        }
        if (requestedSequence < currentSequence) {
            throw new LifecycleException("currently defined sequence " + currentSequence
                    + " is larger than requested sequence " + requestedSequence);
        }
        if (requestedSequence > currentSequence + 1) {
            throw new LifecycleException("requested sequence " + requestedSequence
                    + " is larger than the next available sequence number " + (currentSequence + 1));
        }
        ChaincodeParameters parameters = withDefaults(requested);
        OrgApprovals mine = new OrgApprovals(myOrg, state);
        if (requestedSequence == currentSequence) {
            DefinedChaincode committed = DefinedChaincode.read(state, name).orElseThrow(() -> new LifecycleException(
                    "missing metadata for currently committed sequence number (" + currentSequence + ")"));
            Optional<String> difference = committed.parameters().difference(parameters);
            if (difference.isPresent()) {
                throw new LifecycleException("attempted to redefine the current committed sequence ("
                        + currentSequence + ") for namespace " + name + " with different parameters: "
                        + difference.get());
            }
            if (isAttemptToRedefine(mine, name, requestedSequence, parameters, packageId)) {
                throw new LifecycleException("attempted to redefine the current committed sequence ("
                        + currentSequence + ") for namespace " + name);
            }
        }
        if (requestedSequence == currentSequence + 1 && isAttemptToRedefine(mine, name, requestedSequence, parameters,
                packageId)) {
            throw new LifecycleException("attempted to redefine uncommitted sequence (" + requestedSequence
                    + ") for namespace " + name + " with unchanged content");
        }
        mine.approve(name, requestedSequence, parameters, packageId);
    }

    /** The same parameters and package are approved already: approving again would write nothing. */
    private static boolean isAttemptToRedefine(OrgApprovals mine, String name, long sequence,
                                               ChaincodeParameters parameters, String packageId) {
        Optional<ChaincodeParameters> approved = mine.parameters(name, sequence);
        if (approved.isEmpty() || approved.get().difference(parameters).isPresent()) {
            return false;
        }
        return mine.packageId(name, sequence).map(packageId::equals).orElse(false);
    }

    QueryApprovedChaincodeDefinitionResult queryApproved(QueryApprovedChaincodeDefinitionArgs input) {
        String name = input.getName();
        OrgApprovals mine = new OrgApprovals(myOrg, state);
        long sequence = input.getSequence();
        if (sequence == 0) {
            // The latest: the next sequence if this organisation approved it, else the current one.
            long current = DefinedChaincode.currentSequence(state, name);
            sequence = mine.parameters(name, current + 1).isPresent() ? current + 1 : current;
        }
        LifecycleException notFound = new LifecycleException("could not fetch approved chaincode definition (name: '"
                + name + "', sequence: '" + input.getSequence() + "') on channel '" + channel.channelId() + "'");
        ChaincodeParameters parameters = mine.parameters(name, sequence).orElseThrow(() -> notFound);
        String packageId = mine.packageId(name, sequence).orElseThrow(() -> notFound);
        ChaincodeSource source = packageId.isEmpty()
                ? ChaincodeSource.newBuilder().setUnavailable(ChaincodeSource.Unavailable.getDefaultInstance()).build()
                : ChaincodeSource.newBuilder().setLocalPackage(ChaincodeSource.Local.newBuilder().setPackageId(packageId))
                        .build();
        return QueryApprovedChaincodeDefinitionResult.newBuilder()
                .setSequence(sequence)
                .setVersion(parameters.version())
                .setEndorsementPlugin(parameters.endorsementInfo().getEndorsementPlugin())
                .setValidationPlugin(parameters.validationInfo().getValidationPlugin())
                .setValidationParameter(parameters.validationInfo().getValidationParameter())
                .setInitRequired(parameters.endorsementInfo().getInitRequired())
                .setCollections(parameters.collections())
                .setSource(source)
                .build();
    }

    CheckCommitReadinessResult checkCommitReadiness(CheckCommitReadinessArgs input) {
        ChaincodeParameters requested = parameters(input.getVersion(), input.getEndorsementPlugin(),
                input.getInitRequired(), input.getValidationPlugin(), input.getValidationParameter(),
                input.getCollections());
        SortedMap<String, Boolean> approvals = readiness(input.getName(), input.getSequence(), requested).approvals();
        return CheckCommitReadinessResult.newBuilder().putAllApprovals(approvals).build();
    }

    CommitChaincodeDefinitionResult commit(CommitChaincodeDefinitionArgs input) {
        validateInput(input.getName(), input.getVersion(), input.getCollections());
        requireMember();
        ChaincodeParameters requested = parameters(input.getVersion(), input.getEndorsementPlugin(),
                input.getInitRequired(), input.getValidationPlugin(), input.getValidationParameter(),
                input.getCollections());
        Readiness readiness = readiness(input.getName(), input.getSequence(), requested);
        new DefinedChaincode(input.getSequence(), readiness.parameters()).write(state, input.getName());
        if (!readiness.approvals().getOrDefault(myOrg, false)) {
            throw new LifecycleException("chaincode definition not agreed to by this org (" + myOrg + ")");
        }
        return CommitChaincodeDefinitionResult.getDefaultInstance();
    }

    private record Readiness(ChaincodeParameters parameters, SortedMap<String, Boolean> approvals) {}

    /** Fabric's {@code CheckCommitReadiness}: the next sequence, and which organisations approved exactly this. */
    private Readiness readiness(String name, long sequence, ChaincodeParameters requested) {
        long currentSequence = DefinedChaincode.currentSequence(state, name);
        if (sequence != currentSequence + 1) {
            throw new LifecycleException("requested sequence is " + sequence + ", but new definition must be sequence "
                    + (currentSequence + 1));
        }
        ChaincodeParameters parameters = withDefaults(requested);
        return new Readiness(parameters, approvals(name, sequence, parameters));
    }

    /** For every organisation of the channel (sorted), whether it approved these parameters at this sequence. */
    private SortedMap<String, Boolean> approvals(String name, long sequence, ChaincodeParameters parameters) {
        SortedMap<String, Boolean> approvals = new TreeMap<>();
        for (String org : channel.orgs()) {
            approvals.put(org, new OrgApprovals(org, state).approved(name, sequence, parameters));
        }
        return approvals;
    }

    QueryChaincodeDefinitionResult queryDefinition(QueryChaincodeDefinitionArgs input) {
        String name = input.getName();
        DefinedChaincode defined = DefinedChaincode.read(state, name).orElseThrow(() -> new LifecycleException(
                LifecycleException.STATUS_NOT_FOUND, "namespace " + name + " is not defined", null));
        ChaincodeParameters p = defined.parameters();
        return QueryChaincodeDefinitionResult.newBuilder()
                .setSequence(defined.sequence())
                .setVersion(p.version())
                .setEndorsementPlugin(p.endorsementInfo().getEndorsementPlugin())
                .setValidationPlugin(p.validationInfo().getValidationPlugin())
                .setValidationParameter(p.validationInfo().getValidationParameter())
                .setInitRequired(p.endorsementInfo().getInitRequired())
                .setCollections(p.collections())
                .putAllApprovals(approvals(name, defined.sequence(), p))
                .build();
    }

    /** Every committed definition, sorted by name (Fabric iterates a map, so its order varies). */
    QueryChaincodeDefinitionsResult queryDefinitions() {
        QueryChaincodeDefinitionsResult.Builder result = QueryChaincodeDefinitionsResult.newBuilder();
        for (String name : StateSerializer.names(state, LifecycleNamespace.NAMESPACES)) {
            Optional<StateMetadata> metadata = StateSerializer.metadata(state, LifecycleNamespace.NAMESPACES, name);
            if (metadata.isEmpty() || !metadata.get().getDatatype().equals(DefinedChaincode.DATATYPE)) {
                continue;
            }
            DefinedChaincode defined = DefinedChaincode.read(state, name).orElseThrow();
            ChaincodeParameters p = defined.parameters();
            result.addChaincodeDefinitions(QueryChaincodeDefinitionsResult.ChaincodeDefinition.newBuilder()
                    .setName(name)
                    .setSequence(defined.sequence())
                    .setVersion(p.version())
                    .setEndorsementPlugin(p.endorsementInfo().getEndorsementPlugin())
                    .setValidationPlugin(p.validationInfo().getValidationPlugin())
                    .setValidationParameter(p.validationInfo().getValidationParameter())
                    .setInitRequired(p.endorsementInfo().getInitRequired())
                    .setCollections(p.collections()));
        }
        return result.build();
    }

    private static ChaincodeParameters parameters(String version, String endorsementPlugin, boolean initRequired,
                                                  String validationPlugin, com.google.protobuf.ByteString validationParameter,
                                                  CollectionConfigPackage collections) {
        return new ChaincodeParameters(
                ChaincodeEndorsementInfo.newBuilder().setVersion(version).setEndorsementPlugin(endorsementPlugin)
                        .setInitRequired(initRequired).build(),
                ChaincodeValidationInfo.newBuilder().setValidationPlugin(validationPlugin)
                        .setValidationParameter(validationParameter).build(),
                collections);
    }

    /** Fabric's {@code SetChaincodeDefinitionDefaults}: plugins {@code escc}/{@code vscc}, the channel's default policy. */
    private ChaincodeParameters withDefaults(ChaincodeParameters p) {
        ChaincodeEndorsementInfo.Builder endorsement = p.endorsementInfo().toBuilder();
        ChaincodeValidationInfo.Builder validation = p.validationInfo().toBuilder();
        if (endorsement.getEndorsementPlugin().isEmpty()) {
            endorsement.setEndorsementPlugin(LifecycleNamespace.DEFAULT_ENDORSEMENT_PLUGIN);
        }
        if (validation.getValidationPlugin().isEmpty()) {
            validation.setValidationPlugin(LifecycleNamespace.DEFAULT_VALIDATION_PLUGIN);
        }
        if (validation.getValidationParameter().isEmpty()) {
            if (!channel.hasPolicy(LifecycleNamespace.DEFAULT_ENDORSEMENT_POLICY)) {
                throw new LifecycleException("could not set defaults for chaincode definition in channel "
                        + channel.channelId() + ": policy '" + LifecycleNamespace.DEFAULT_ENDORSEMENT_POLICY
                        + "' must be defined for channel '" + channel.channelId()
                        + "' before chaincode operations can be attempted");
            }
            validation.setValidationParameter(ApplicationPolicies.reference(LifecycleNamespace.DEFAULT_ENDORSEMENT_POLICY));
        }
        return new ChaincodeParameters(endorsement.build(), validation.build(), p.collections());
    }

    /** Fabric's {@code validateInput}; collections are refused, since Banyan has no private data. */
    private static void validateInput(String name, String version, CollectionConfigPackage collections) {
        String problem = null;
        if (!LifecycleNamespace.CHAINCODE_NAME.matcher(name).matches()) {
            problem = "invalid chaincode name '" + name + "'. Names can only consist of alphanumerics, '_', and '-'"
                    + " and can only begin with alphanumerics";
        } else if (SYSTEM_CHAINCODES.contains(name)) {
            problem = "chaincode name '" + name + "' is the name of a system chaincode";
        } else if (!LifecycleNamespace.CHAINCODE_VERSION.matcher(version).matches()) {
            problem = "invalid chaincode version '" + version + "'. Versions can only consist of alphanumerics, '_',"
                    + " '-', '+', and '.'";
        } else if (collections.getConfigCount() > 0) {
            problem = "collections are not supported: Banyan has no private data collections";
        }
        if (problem != null) {
            throw new LifecycleException("error validating chaincode definition: " + problem);
        }
    }

    private void requireMember() {
        if (!channel.orgs().contains(myOrg)) {
            throw new LifecycleException("impossibly, this peer's org is processing requests for a channel it is not"
                    + " a member of");
        }
    }

    /**
     * The package IDs this organisation approved for the current definitions of the chaincodes committed on a
     * channel (not the empty "approved without a package"), sorted.
     */
    static SortedSet<String> approvedPackages(LifecycleState committed, String myOrg) {
        SortedSet<String> packages = new TreeSet<>();
        forEachApproved(committed, myOrg, (name, version, packageId) -> {
            if (!packageId.isEmpty()) {
                packages.add(packageId);
            }
        });
        return packages;
    }

    /**
     * The chaincodes committed on a channel whose current definition this organisation approved with
     * {@code packageId}: name → version, sorted (Fabric's {@code References} of an installed package).
     */
    static SortedMap<String, String> references(LifecycleState committed, String myOrg, String packageId) {
        SortedMap<String, String> references = new TreeMap<>();
        forEachApproved(committed, myOrg, (name, version, approvedPackageId) -> {
            if (approvedPackageId.equals(packageId)) {
                references.put(name, version);
            }
        });
        return references;
    }

    /** A committed chaincode whose current definition this organisation approved. */
    private interface ApprovedVisitor {
        /** @param packageId the package approved with it, empty when none */
        void approved(String name, String version, String packageId);
    }

    private static void forEachApproved(LifecycleState committed, String myOrg, ApprovedVisitor visitor) {
        OrgApprovals mine = new OrgApprovals(myOrg, committed);
        for (String name : StateSerializer.names(committed, LifecycleNamespace.NAMESPACES)) {
            Optional<DefinedChaincode> defined;
            try {
                defined = DefinedChaincode.read(committed, name);
            } catch (LifecycleException e) {
                continue; // not a chaincode definition
            }
            if (defined.isPresent() && mine.approved(name, defined.get().sequence(), defined.get().parameters())) {
                visitor.approved(name, defined.get().parameters().version(),
                        mine.packageId(name, defined.get().sequence()).orElse(""));
            }
        }
    }
}
