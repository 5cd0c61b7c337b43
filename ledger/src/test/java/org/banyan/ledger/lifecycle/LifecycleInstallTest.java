package org.banyan.ledger.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.approve;
import static org.banyan.ledger.lifecycle.LifecycleNetwork.commit;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.banyan.crypto.Hashes;
import org.banyan.crypto.SigningIdentity;
import org.banyan.protocol.testing.GeneratedChannel;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageResult;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing Fabric-format packages on a node and querying them back through {@code _lifecycle}'s node-local
 * functions; the package store on disk; Fabric's parse errors.
 */
class LifecycleInstallTest {
    static final GeneratedChannel GENERATED = LifecycleTest.GENERATED;

    @TempDir
    Path dir;
    LifecycleNetwork net;

    @BeforeEach
    void setUp() {
        net = new LifecycleNetwork(GENERATED, 3, dir);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private Response call(int org, SigningIdentity creator, String function, Message args) {
        return net.node(org).invoke(List.of(ByteString.copyFromUtf8(function), args.toByteString()),
                ByteString.copyFrom(creator.serialize()), net.now);
    }

    private static <M extends Message> M payload(Response response, com.google.protobuf.Parser<M> parser)
            throws InvalidProtocolBufferException {
        assertThat(response.getStatus()).as(response.getMessage()).isEqualTo(200);
        return parser.parseFrom(response.getPayload());
    }

    private Response install(int org, byte[] pkg) {
        return call(org, GENERATED.admin(org), LifecycleNamespace.INSTALL_CHAINCODE,
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(pkg)).build());
    }

    @Test
    void installedPackagesRoundTrip() throws Exception {
        byte[] pkg = TestPackages.goPackage("basic_1.0");
        String packageId = "basic_1.0:" + HexFormat.of().formatHex(Hashes.sha256(pkg));

        InstallChaincodeResult installed = payload(install(1, pkg), InstallChaincodeResult.parser());
        assertThat(installed.getPackageId()).isEqualTo(packageId);
        assertThat(installed.getLabel()).isEqualTo("basic_1.0");
        assertThat(Files.exists(net.node(1).packages().dir().resolve(
                "basic_1.0." + HexFormat.of().formatHex(Hashes.sha256(pkg)) + ".tar.gz"))).isTrue();

        assertThat(install(1, pkg).getMessage()).isEqualTo("failed to invoke backing implementation of"
                + " 'InstallChaincode': chaincode already successfully installed (package ID '" + packageId + "')");
        // Packages are per node: Org2's node has none.
        assertThat(payload(call(2, GENERATED.admin(2), LifecycleNamespace.QUERY_INSTALLED_CHAINCODES,
                QueryInstalledChaincodesArgs.getDefaultInstance()), QueryInstalledChaincodesResult.parser())
                .getInstalledChaincodesList()).isEmpty();

        QueryInstalledChaincodesResult all = payload(call(1, GENERATED.admin(1),
                LifecycleNamespace.QUERY_INSTALLED_CHAINCODES, QueryInstalledChaincodesArgs.getDefaultInstance()),
                QueryInstalledChaincodesResult.parser());
        assertThat(all.getInstalledChaincodesList()).singleElement().satisfies(cc -> {
            assertThat(cc.getPackageId()).isEqualTo(packageId);
            assertThat(cc.getLabel()).isEqualTo("basic_1.0");
            assertThat(cc.getReferencesMap()).isEmpty();
        });

        GetInstalledChaincodePackageResult fetched = payload(call(1, GENERATED.admin(1),
                LifecycleNamespace.GET_INSTALLED_CHAINCODE_PACKAGE,
                GetInstalledChaincodePackageArgs.newBuilder().setPackageId(packageId).build()),
                GetInstalledChaincodePackageResult.parser());
        assertThat(fetched.getChaincodeInstallPackage().toByteArray()).isEqualTo(pkg);
        ChaincodePackage parsed = ChaincodePackage.parse(fetched.getChaincodeInstallPackage().toByteArray());
        assertThat(parsed.type()).isEqualTo("golang");
        assertThat(parsed.path()).isEqualTo("github.com/example/basic_1.0");

        // Once the organisation approved it for a committed definition, the package is referenced by the channel.
        assertThat(net.node(1).approvedPackages()).isEmpty();
        for (int org = 1; org <= 2; org++) {
            assertThat(net.commitBlock(net.approveTx(org, approve("basic", "1.0", 1, ByteString.EMPTY, packageId))))
                    .containsExactly(VALID);
        }
        assertThat(net.commitBlock(net.lifecycleTx(GENERATED.admin(1), LifecycleNamespace.COMMIT_CHAINCODE_DEFINITION,
                commit("basic", "1.0", 1, ByteString.EMPTY), 1, 2))).containsExactly(VALID);
        // What a node launches when it starts: its organisation's approved packages of committed definitions.
        assertThat(net.node(1).approvedPackages()).containsExactly(packageId);
        assertThat(net.node(3).approvedPackages()).isEmpty();
        QueryInstalledChaincodeResult one = payload(call(1, GENERATED.admin(1),
                LifecycleNamespace.QUERY_INSTALLED_CHAINCODE,
                QueryInstalledChaincodeArgs.newBuilder().setPackageId(packageId).build()),
                QueryInstalledChaincodeResult.parser());
        assertThat(one.getLabel()).isEqualTo("basic_1.0");
        assertThat(one.getReferencesMap()).containsOnlyKeys(LifecycleNetwork.CHANNEL);
        assertThat(one.getReferencesMap().get(LifecycleNetwork.CHANNEL).getChaincodesList()).singleElement()
                .satisfies(cc -> assertThat(cc.getName() + ":" + cc.getVersion()).isEqualTo("basic:1.0"));
        assertThat(net.node(1).invocable(net.channel, "basic",
                new org.banyan.ledger.simulation.TxSimulator("e", org.banyan.ledger.CommittedState.of(net.ledger)),
                org.banyan.ledger.CommittedState.of(net.ledger)).packageId()).isEqualTo(packageId);

        // The store survives a restart of the node.
        PackageStore reopened = PackageStore.open(net.node(1).packages().dir());
        assertThat(reopened.list()).containsExactly(new InstalledPackage(packageId, "basic_1.0"));
        assertThat(reopened.load(packageId)).isEqualTo(pkg);
    }

    @Test
    void unknownPackagesGetFabricsMessages() {
        String missing = "nothing_1:" + "0".repeat(64);
        assertThat(call(1, GENERATED.admin(1), LifecycleNamespace.GET_INSTALLED_CHAINCODE_PACKAGE,
                GetInstalledChaincodePackageArgs.newBuilder().setPackageId(missing).build()).getMessage())
                .isEqualTo("failed to invoke backing implementation of 'GetInstalledChaincodePackage': could not load cc"
                        + " install package: chaincode install package '" + missing + "' not found");
        assertThat(call(1, GENERATED.admin(1), LifecycleNamespace.QUERY_INSTALLED_CHAINCODE,
                QueryInstalledChaincodeArgs.newBuilder().setPackageId("../../etc/passwd").build()).getMessage())
                .isEqualTo("failed to invoke backing implementation of 'QueryInstalledChaincode': could not find"
                        + " chaincode with package id '../../etc/passwd'");
        assertThatThrownBy(() -> net.node(1).packages().load("../x:" + "0".repeat(64)))
                .hasMessage("chaincode install package '../x:" + "0".repeat(64) + "' not found");
    }

    @Test
    void onlyTheNodesAdminsInstall() {
        Response byClient = call(1, GENERATED.user(1, 1), LifecycleNamespace.INSTALL_CHAINCODE,
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(
                        ByteString.copyFrom(TestPackages.goPackage("x"))).build());
        assertThat(byClient.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check: Failed"
                + " verifying that proposal's creator satisfies local MSP principal during channelless check policy"
                + " with policy [Admins]");
        Response byOtherOrg = call(1, GENERATED.admin(2), LifecycleNamespace.INSTALL_CHAINCODE,
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(
                        ByteString.copyFrom(TestPackages.goPackage("x"))).build());
        assertThat(byOtherOrg.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check:");
        assertThat(net.node(1).packages().list()).isEmpty();
    }

    @Test
    void malformedPackagesAreRefusedWithFabricsMessages() {
        String prefix = "failed to invoke backing implementation of 'InstallChaincode': could not parse as a chaincode"
                + " install package: ";
        byte[] code = ChaincodePackages.gzip(ChaincodePackages.tar(List.of(ChaincodePackages.Entry.file("main.go", "package main"))));
        ChaincodePackages.Entry metadata = ChaincodePackages.Entry.file("metadata.json",
                ChaincodePackages.metadataJson("golang", "p", "ok_1"));
        ChaincodePackages.Entry codeEntry = ChaincodePackages.Entry.file("code.tar.gz", code);

        assertThat(install(1, "not a package".getBytes()).getMessage()).startsWith(prefix + "error reading as gzip stream");
        assertThat(install(1, ChaincodePackages.gzip(ChaincodePackages.tar(List.of(metadata)))).getMessage())
                .isEqualTo(prefix + "did not find a code package inside the package");
        assertThat(install(1, ChaincodePackages.gzip(ChaincodePackages.tar(List.of(codeEntry)))).getMessage())
                .isEqualTo(prefix + "did not find any package metadata (missing metadata.json)");
        assertThat(install(1, ChaincodePackages.chaincodePackage("bad label", "golang", "p", Map.of("a", "b"))).getMessage())
                .isEqualTo(prefix + "invalid label 'bad label'. Label must be non-empty, can only consist of"
                        + " alphanumerics, symbols from '.+-_', and can only begin with alphanumerics");
        assertThat(install(1, ChaincodePackages.gzip(ChaincodePackages.tar(List.of(metadata, codeEntry,
                new ChaincodePackages.Entry("src/", (byte) '5', new byte[0]))))).getMessage())
                .isEqualTo(prefix + "tar entry src/ is not a regular file, type 53");
        assertThat(install(1, ChaincodePackages.gzip(ChaincodePackages.tar(List.of(
                ChaincodePackages.Entry.file("metadata.json", "{\"label\": 7}"), codeEntry)))).getMessage())
                .isEqualTo(prefix + "could not unmarshal metadata.json as json: json: cannot unmarshal number into Go"
                        + " struct field ChaincodePackageMetadata.label of type string");
        assertThat(install(1, ChaincodePackages.gzip(ChaincodePackages.tar(List.of(
                ChaincodePackages.Entry.file("metadata.json", "{\"label\": \"x\""), codeEntry)))).getMessage())
                .startsWith(prefix + "could not unmarshal metadata.json as json: ");
        byte[] truncated = ChaincodePackages.tar(List.of(metadata, codeEntry));
        assertThat(install(1, ChaincodePackages.gzip(java.util.Arrays.copyOf(truncated, 700))).getMessage())
                .startsWith(prefix);
        // Go decodes member names case-insensitively and ignores unknown members.
        byte[] relaxed = ChaincodePackages.gzip(ChaincodePackages.tar(List.of(ChaincodePackages.Entry.file("metadata.json",
                "{\"Label\": \"relaxed_1\", \"TYPE\": \"node\", \"extra\": [1, {\"a\": null}], \"path\": null}"),
                codeEntry)));
        ChaincodePackage parsed = ChaincodePackage.parse(relaxed);
        assertThat(parsed.label()).isEqualTo("relaxed_1");
        assertThat(parsed.type()).isEqualTo("node");
        assertThat(parsed.path()).isEmpty();
        assertThat(net.node(1).packages().list()).isEmpty();
    }
}
