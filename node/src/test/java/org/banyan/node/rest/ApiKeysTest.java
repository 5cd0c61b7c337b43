package org.banyan.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.banyan.crypto.gen.CryptoGenerator;
import org.banyan.crypto.gen.GeneratedNetwork;
import org.banyan.crypto.gen.GeneratedOrg;
import org.banyan.crypto.sign.KeyType;
import org.banyan.crypto.x509.LocalSigningIdentity;
import org.banyan.node.gateway.GatewayException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @TempDir
    static Path shared;
    private static GeneratedNetwork crypto;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        crypto = CryptoGenerator.generate(shared.resolve("crypto"), 2, KeyType.ECDSA_P256, 1);
    }

    private static GeneratedOrg org(int i) {
        return crypto.orgs().get(i);
    }

    @Test
    void aKeyIsStoredOnlyAsItsHashAndActsAsTheWalletIdentity() throws Exception {
        Path file = dir.resolve("rest/apikeys.json");
        Path wallet = dir.resolve("rest/wallet");
        ApiKeys.Created created = ApiKeys.create(file, wallet, "User1@org1", org(0).userMspDirs().getFirst(), "Org1MSP");

        assertThat(created.key()).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, base64url without padding
        String stored = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain(created.key());
        String hash = HexFormat.of().formatHex(ApiKeys.hash(created.key()));
        assertThat(created.entry().sha256()).isEqualTo(hash);
        assertThat(created.entry().id()).isEqualTo(hash.substring(0, 12));
        assertThat(ApiKeys.list(file)).containsExactly(created.entry());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        LocalSigningIdentity inWallet = Wallet.load(wallet, "User1@org1");
        LocalSigningIdentity original = LocalSigningIdentity.load(org(0).userMspDirs().getFirst(), "Org1MSP");
        assertThat(inWallet.serialize()).isEqualTo(original.serialize());
        assertThat(Files.getPosixFilePermissions(wallet.resolve("User1@org1/keystore/priv_sk")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(wallet)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void keysAreMatchedByHashAndTwoKeysMayShareAnIdentity() {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeys.Created first = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        ApiKeys.Created second = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        List<ApiKeys.Entry> entries = ApiKeys.list(file);
        assertThat(entries).hasSize(2);
        assertThat(ApiKeys.match(entries, first.key())).contains(first.entry());
        assertThat(ApiKeys.match(entries, second.key())).contains(second.entry());
        assertThat(ApiKeys.match(entries, first.key() + "x")).isEmpty();
        assertThat(ApiKeys.match(entries, "")).isEmpty();
    }

    @Test
    void aWalletNameHoldsOneIdentity() {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        assertThatThrownBy(() -> ApiKeys.create(file, wallet, "alice", org(1).userMspDirs().getFirst(), "Org2MSP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds another identity named 'alice'");
        assertThat(ApiKeys.list(file)).hasSize(1);
    }

    @Test
    void badNamesAndFoldersAreRefusedClearly() {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        for (String name : List.of("", "..", "../x", "a/b", ".hidden", "x".repeat(129))) {
            assertThatThrownBy(() -> ApiKeys.create(file, wallet, name, org(0).userMspDirs().getFirst(), "Org1MSP"))
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wallet identity name");
        }
        assertThatThrownBy(() -> ApiKeys.create(file, wallet, "bob", dir.resolve("nothing"), "Org1MSP"))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("nothing");
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void revokeRemovesByIdOrUniquePrefix() {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeys.Created a = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        ApiKeys.Created b = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        assertThat(ApiKeys.revoke(file, "nosuchid")).isEmpty();
        assertThat(ApiKeys.revoke(file, a.entry().id().substring(0, 8))).contains(a.entry());
        assertThat(ApiKeys.list(file)).containsExactly(b.entry());
        assertThat(ApiKeys.revoke(file, b.entry().id())).contains(b.entry());
        assertThat(ApiKeys.list(file)).isEmpty();
        assertThat(ApiKeys.revoke(file, "")).isEmpty();
    }

    @Test
    void theAuthenticatorSeesCreationAndRevocationWithoutRestart() throws Exception {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(file, wallet);
        assertThatThrownBy(() -> authenticator.authenticate(null)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
        ApiKeys.Created created = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        ApiKeyAuthenticator.Caller caller = authenticator.authenticate(created.key());
        assertThat(caller.key()).isEqualTo(created.entry());
        assertThat(caller.identity().mspId()).isEqualTo("Org1MSP");
        assertThat(caller.limiterKey()).isEqualTo(created.entry().sha256());

        ApiKeys.revoke(file, created.entry().id());
        assertThatThrownBy(() -> authenticator.authenticate(created.key()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
                    assertThat(e.getMessage()).contains("not known to this node");
                });
    }

    @Test
    void aBrokenKeysFileFailsClosed() throws Exception {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeys.Created created = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(file, wallet);
        authenticator.authenticate(created.key());
        Files.writeString(file, "{\"keys\": [ {\"id\": ");
        assertThatThrownBy(() -> authenticator.authenticate(created.key()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.INTERNAL);
                    assertThat(e.getMessage()).contains("API keys file cannot be read", file.toString());
                });
        assertThatThrownBy(() -> ApiKeys.list(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid API keys file");
    }

    @Test
    void aKeyWhoseWalletIdentityIsGoneIsAnInternalErrorThatSaysWhatToDo() throws Exception {
        Path file = dir.resolve("apikeys.json");
        Path wallet = dir.resolve("wallet");
        ApiKeys.Created created = ApiKeys.create(file, wallet, "alice", org(0).userMspDirs().getFirst(), "Org1MSP");
        Files.move(wallet.resolve("alice"), dir.resolve("moved"));
        assertThatThrownBy(() -> new ApiKeyAuthenticator(file, wallet).authenticate(created.key()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.INTERNAL);
                    assertThat(e.getMessage()).contains("'alice'", "banyan apikey create");
                });
    }
}
