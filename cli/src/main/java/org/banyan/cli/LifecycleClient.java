package org.banyan.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.crypto.x509.Pem;
import org.banyan.protocol.Proposals;
import org.banyan.protocol.TxIds;
import org.banyan.protocol.policy.PolicyDsl;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;

/**
 * Fabric's chaincode lifecycle ({@code peer lifecycle chaincode ...}) against a network's nodes, as an organisation's
 * admin: install on the organisation's own node through {@code protos.Endorser} (install is node-local, not a
 * channel transaction — Fabric's gateway cannot carry it either), and approve, commit and the definition queries as
 * ordinary {@code _lifecycle} transactions through the organisation's gateway, which collects the endorsements
 * their policies need.
 */
final class LifecycleClient {
    static final String LIFECYCLE = "_lifecycle";
    /** The policy {@code peer lifecycle} uses when none is given: the channel's MAJORITY Endorsement. */
    static final String DEFAULT_POLICY = "/Channel/Application/Endorsement";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LifecycleClient() {}

    /** A definition to approve and commit. */
    record Definition(String name, String version, long sequence, ApplicationPolicy policy, boolean initRequired) {}

    /**
     * An endorsement policy from the command line: Fabric's signature syntax ({@code AND('Org1MSP.peer', ...)}) or
     * a channel policy path ({@code /Channel/Application/Endorsement}); the default when null.
     */
    static ApplicationPolicy policy(String expression) {
        if (expression == null || expression.isBlank()) {
            return ApplicationPolicy.newBuilder().setChannelConfigPolicyReference(DEFAULT_POLICY).build();
        }
        if (expression.startsWith("/")) {
            return ApplicationPolicy.newBuilder().setChannelConfigPolicyReference(expression).build();
        }
        try {
            return ApplicationPolicy.newBuilder().setSignaturePolicy(PolicyDsl.parse(expression)).build();
        } catch (RuntimeException e) {
            throw new CommandFailure(ExitCodes.USAGE, "bad policy syntax '" + expression + "': " + e.getMessage()
                    + ". Write Fabric's syntax, e.g. \"AND('Org1MSP.peer','Org2MSP.peer')\" or \"OutOf(2,'Org1MSP.peer',"
                    + "'Org2MSP.peer','Org3MSP.peer')\", or a channel policy path such as " + DEFAULT_POLICY);
        }
    }

    /** Installs the package on {@code org}'s node as its admin; returns the package ID. */
    static String install(NetworkDescription.Org org, byte[] chaincodePackage) {
        LocalSigningIdentity admin = signingIdentity(org.mspId(), org.admin());
        var proposal = Proposals.create(new Proposals.Invocation("", LIFECYCLE, args("InstallChaincode",
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(chaincodePackage))
                        .build()), Map.of(), now(), TxIds.newNonce(RANDOM)), admin);
        try (FabricConnection connection = FabricConnection.open(org, org.admin())) {
            ProposalResponse response;
            try {
                response = EndorserGrpc.newBlockingStub(connection.channel)
                        .withDeadlineAfter(FabricConnection.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .processProposal(proposal);
            } catch (StatusRuntimeException e) {
                throw new CommandFailure(ExitCodes.NOT_READY, org.mspId() + "'s node " + org.gateway()
                        + " refused or did not answer the install: " + e.getStatus());
            }
            if (response.getResponse().getStatus() != 200) {
                throw new CommandFailure(ExitCodes.FAILURE, org.mspId() + "'s node did not install the package: "
                        + response.getResponse().getMessage());
            }
            return InstallChaincodeResult.parseFrom(response.getResponse().getPayload()).getPackageId();
        } catch (InvalidProtocolBufferException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "the install result does not decode: " + e.getMessage());
        }
    }

    /** The packages installed on {@code org}'s node (label and package ID). */
    static QueryInstalledChaincodesResult installed(NetworkDescription.Org org) {
        LocalSigningIdentity admin = signingIdentity(org.mspId(), org.admin());
        var proposal = Proposals.create(new Proposals.Invocation("", LIFECYCLE, args("QueryInstalledChaincodes",
                QueryInstalledChaincodesArgs.getDefaultInstance()), Map.of(), now(), TxIds.newNonce(RANDOM)), admin);
        try (FabricConnection connection = FabricConnection.open(org, org.admin())) {
            ProposalResponse response = EndorserGrpc.newBlockingStub(connection.channel)
                    .withDeadlineAfter(FabricConnection.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .processProposal(proposal);
            if (response.getResponse().getStatus() != 200) {
                throw new CommandFailure(ExitCodes.FAILURE, org.mspId() + "'s node: "
                        + response.getResponse().getMessage());
            }
            return QueryInstalledChaincodesResult.parseFrom(response.getResponse().getPayload());
        } catch (StatusRuntimeException e) {
            throw new CommandFailure(ExitCodes.NOT_READY, org.mspId() + "'s node " + org.gateway()
                    + " did not answer: " + e.getStatus());
        } catch (InvalidProtocolBufferException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "the query result does not decode: " + e.getMessage());
        }
    }

    /**
     * Every organisation's admin approves the definition, each through its own gateway, all submitted before any is
     * awaited (so they share blocks); returns once every approval committed VALID.
     */
    static void approveAll(NetworkDescription network, Definition definition, String packageId) {
        List<FabricConnection> connections = new java.util.ArrayList<>();
        try {
            List<org.hyperledger.fabric.client.SubmittedTransaction> submitted = new java.util.ArrayList<>();
            for (NetworkDescription.Org org : network.orgs()) {
                FabricConnection connection = FabricConnection.open(org, org.admin());
                connections.add(connection);
                try {
                    submitted.add(lifecycle(connection, network).newProposal("ApproveChaincodeDefinitionForMyOrg")
                            .addArguments(approveArgs(definition, packageId).toByteArray()).build().endorse()
                            .submitAsync());
                } catch (GatewayException e) {
                    throw failure("approve " + definition.name(), org, e);
                }
            }
            for (int i = 0; i < submitted.size(); i++) {
                NetworkDescription.Org org = network.orgs().get(i);
                try {
                    var status = submitted.get(i).getStatus();
                    if (!status.isSuccessful()) {
                        throw new CommandFailure(ExitCodes.FAILURE, "the approval by " + org.mspId()
                                + " committed as " + status.getCode() + " (transaction " + status.getTransactionId()
                                + ")");
                    }
                } catch (GatewayException e) {
                    throw failure("approve " + definition.name(), org, e);
                }
            }
        } finally {
            connections.forEach(FabricConnection::close);
        }
    }

    /** {@code org}'s admin approves the definition for its organisation (a transaction; waits for its commit). */
    static void approve(NetworkDescription network, NetworkDescription.Org org, Definition definition,
            String packageId) {
        submit(network, org, "ApproveChaincodeDefinitionForMyOrg", approveArgs(definition, packageId));
    }

    private static ApproveChaincodeDefinitionForMyOrgArgs approveArgs(Definition definition, String packageId) {
        ApproveChaincodeDefinitionForMyOrgArgs.Builder approve = ApproveChaincodeDefinitionForMyOrgArgs.newBuilder()
                .setName(definition.name()).setVersion(definition.version()).setSequence(definition.sequence())
                .setValidationParameter(definition.policy().toByteString()).setInitRequired(definition.initRequired());
        if (!packageId.isEmpty()) {
            approve.setSource(ChaincodeSource.newBuilder().setLocalPackage(
                    ChaincodeSource.Local.newBuilder().setPackageId(packageId)));
        }
        return approve.build();
    }

    /** {@code org}'s admin commits the definition (the gateway collects the endorsements its policy needs). */
    static void commit(NetworkDescription network, NetworkDescription.Org org, Definition definition) {
        submit(network, org, "CommitChaincodeDefinition", CommitChaincodeDefinitionArgs.newBuilder()
                .setName(definition.name()).setVersion(definition.version()).setSequence(definition.sequence())
                .setValidationParameter(definition.policy().toByteString()).setInitRequired(definition.initRequired())
                .build());
    }

    /** The committed definition of {@code name}, or empty when there is none. */
    static Optional<QueryChaincodeDefinitionResult> definition(NetworkDescription network, NetworkDescription.Org org,
            String name) {
        try (FabricConnection connection = FabricConnection.open(org, org.admin())) {
            byte[] result = lifecycle(connection, network).evaluateTransaction("QueryChaincodeDefinition",
                    QueryChaincodeDefinitionArgs.newBuilder().setName(name).build().toByteArray());
            return Optional.of(QueryChaincodeDefinitionResult.parseFrom(result));
        } catch (GatewayException e) {
            if (e.getMessage() != null && e.getMessage().contains("is not defined")) {
                return Optional.empty();
            }
            throw failure("query the definition of " + name, org, e);
        } catch (InvalidProtocolBufferException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "the definition does not decode: " + e.getMessage());
        }
    }

    /** Every committed definition on the channel. */
    static QueryChaincodeDefinitionsResult definitions(NetworkDescription network, NetworkDescription.Org org) {
        try (FabricConnection connection = FabricConnection.open(org, org.admin())) {
            return QueryChaincodeDefinitionsResult.parseFrom(lifecycle(connection, network).evaluateTransaction(
                    "QueryChaincodeDefinitions", QueryChaincodeDefinitionsArgs.getDefaultInstance().toByteArray()));
        } catch (GatewayException e) {
            throw failure("list the chaincode definitions", org, e);
        } catch (InvalidProtocolBufferException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "the definitions do not decode: " + e.getMessage());
        }
    }

    private static void submit(NetworkDescription network, NetworkDescription.Org org, String function, Message args) {
        try (FabricConnection connection = FabricConnection.open(org, org.admin())) {
            lifecycle(connection, network).newProposal(function).addArguments(args.toByteArray()).build()
                    .endorse().submit();
        } catch (org.hyperledger.fabric.client.CommitException e) {
            throw new CommandFailure(ExitCodes.FAILURE, function + " by " + org.mspId() + " committed as "
                    + e.getCode() + " (transaction " + e.getTransactionId() + ")");
        } catch (GatewayException e) {
            throw failure(function, org, e);
        }
    }

    private static Contract lifecycle(FabricConnection connection, NetworkDescription network) {
        return connection.gateway.getNetwork(network.channel()).getContract(LIFECYCLE);
    }

    /** A gateway error with the node's details, as one message. */
    static CommandFailure failure(String what, NetworkDescription.Org org, Exception e) {
        String reason = e instanceof GatewayException gateway
                ? gateway.getStatus().getCode() + ": " + gateway.getStatus().getDescription() : e.getMessage();
        StringBuilder message = new StringBuilder("cannot " + what + " through " + org.mspId() + "'s gateway "
                + org.gateway() + ": " + reason);
        if (e instanceof GatewayException gateway) {
            gateway.getDetails().forEach(detail -> message.append("\n  ").append(detail.getMspId()).append(" ")
                    .append(detail.getAddress()).append(": ").append(detail.getMessage()));
            if (gateway.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE) {
                return new CommandFailure(ExitCodes.NOT_READY, message + "\nIs the network up? banyan network status"
                        + " --dir <dir>");
            }
        }
        return new CommandFailure(ExitCodes.FAILURE, message.toString());
    }

    static LocalSigningIdentity signingIdentity(String mspId, NetworkDescription.Identity identity) {
        try {
            return LocalSigningIdentity.of(mspId, Pem.decodeCertificate(Files.readAllBytes(identity.cert())),
                    Pem.decodePrivateKey(Files.readAllBytes(identity.key())));
        } catch (IOException | RuntimeException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot read the identity " + identity.cert() + ": "
                    + e.getMessage());
        }
    }

    private static List<ByteString> args(String function, Message args) {
        return List.of(ByteString.copyFromUtf8(function), args.toByteString());
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
