package org.banyan.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.banyan.crypto.Hashes;

/**
 * The REST API's keys, in one JSON file the node reads and {@code banyan apikey} writes:
 *
 * <pre>
 * {"keys": [{"id": "3f2a9c1b7e4d", "sha256": "…64 hex…", "identity": "User1@org1.example.com",
 *            "mspId": "Org1MSP", "created": "2026-11-27T12:00:00Z"}]}
 * </pre>
 *
 * A key is 32 random bytes, base64url without padding (43 characters); it is shown once, when created, and only
 * its SHA-256 is stored, so the file does not let anyone call the API. {@code id} (the first 12 hex digits of that
 * hash) names a key in listings and for revocation. {@code identity} is the wallet identity ({@link Wallet}) whose
 * key signs the requests made with the API key.
 *
 * <p>Changes take a lock on {@code FILE.lock} for their read-modify-write and replace the file atomically with
 * owner-only permissions ({@link SecretFiles}); a running node notices the new file and reloads it.
 */
public final class ApiKeys {
    /** Keys in one file at most: each authentication compares against all of them. */
    public static final int KEYS_MAX = 10_000;
    static final int KEY_BYTES = 32;
    static final int ID_HEX_CHARS = 12;
    /** Refuses to parse a file larger than this (10,000 entries take about 2.5 MB). */
    static final long FILE_BYTES_MAX = 8L << 20;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final HexFormat HEX = HexFormat.of();

    /** One key: its public id, the hex SHA-256 of the key, the wallet identity it acts as, and when it was made. */
    public record Entry(String id, String sha256, String identity, String mspId, String created) {}

    /** The file's content. */
    record Contents(List<Entry> keys) {
        Contents {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    /** A new key and its entry; {@code key} is the secret, shown once. */
    public record Created(String key, Entry entry) {}

    private ApiKeys() {}

    /**
     * Adds {@code mspDir}'s identity to the wallet as {@code walletName} (unless it holds it already) and creates an
     * API key acting as it.
     *
     * @throws IllegalArgumentException for an unusable MSP folder or name, a wallet name taken by another
     *     identity, or a full file ({@value #KEYS_MAX} keys)
     */
    public static Created create(Path apiKeysFile, Path walletDir, String walletName, Path mspDir, String mspId) {
        Wallet.put(walletDir, walletName, mspDir, mspId);
        byte[] secret = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = HEX.formatHex(hash(key));
        Entry entry = new Entry(hash.substring(0, ID_HEX_CHARS), hash, walletName, mspId, Instant.now().toString());
        update(apiKeysFile, keys -> {
            if (keys.size() >= KEYS_MAX) {
                throw new IllegalArgumentException(apiKeysFile + " holds " + KEYS_MAX + " API keys, the most it may; "
                        + "revoke unused ones first (banyan apikey revoke)");
            }
            keys.add(entry);
        });
        return new Created(key, entry);
    }

    /** The file's keys, in the order they were created; none when the file does not exist. */
    public static List<Entry> list(Path apiKeysFile) {
        return read(apiKeysFile).keys();
    }

    /**
     * Removes the key with this id (or the unique key whose id starts with it).
     *
     * @return the removed entry; empty when no key has that id
     * @throws IllegalArgumentException when the prefix names more than one key
     */
    public static Optional<Entry> revoke(Path apiKeysFile, String id) {
        List<Entry> removed = new ArrayList<>();
        update(apiKeysFile, keys -> {
            List<Entry> matching = keys.stream().filter(e -> !id.isEmpty() && e.id().startsWith(id)).toList();
            if (matching.size() > 1) {
                throw new IllegalArgumentException("'" + id + "' is the start of " + matching.size()
                        + " key ids; give more of it");
            }
            keys.removeAll(matching);
            removed.addAll(matching);
        });
        return removed.stream().findFirst();
    }

    /** SHA-256 of the key's UTF-8 bytes, as stored. */
    static byte[] hash(String key) {
        return Hashes.sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The entry whose hash matches {@code presentedKey}'s. Every entry is compared, each in constant time, so the
     * time taken tells nothing about which stored hash shares a prefix with the presented one.
     */
    static Optional<Entry> match(List<Entry> entries, String presentedKey) {
        byte[] presented = hash(presentedKey);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(presented, HEX.parseHex(entry.sha256())) && found == null) {
                found = entry;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Reads and checks the file (none: no keys).
     *
     * @throws IllegalArgumentException naming the file and the problem when it is not a valid keys file
     */
    static Contents read(Path apiKeysFile) {
        if (!Files.exists(apiKeysFile)) {
            return new Contents(List.of());
        }
        try {
            long bytes = Files.size(apiKeysFile);
            if (bytes > FILE_BYTES_MAX) {
                throw new IllegalArgumentException(apiKeysFile + " is " + bytes + " bytes, more than an API keys "
                        + "file may be (" + FILE_BYTES_MAX + ")");
            }
            Contents file = JSON.readValue(Files.readAllBytes(apiKeysFile), Contents.class);
            check(apiKeysFile, file);
            return file;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(apiKeysFile + " is not a valid API keys file: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + apiKeysFile, e);
        }
    }

    private static void check(Path path, Contents file) {
        if (file.keys().size() > KEYS_MAX) {
            throw new IllegalArgumentException(path + " holds " + file.keys().size() + " keys, more than "
                    + KEYS_MAX);
        }
        for (Entry entry : file.keys()) {
            if (entry == null || entry.sha256() == null || !entry.sha256().matches("[0-9a-f]{64}")
                    || entry.identity() == null || entry.id() == null) {
                throw new IllegalArgumentException(path + ": every key needs id, sha256 (64 lowercase hex digits) "
                        + "and identity; found " + entry);
            }
        }
    }

    /** A change to the list of keys. */
    private interface Change {
        void apply(List<Entry> keys);
    }

    private static void update(Path apiKeysFile, Change change) {
        Path lockFile = apiKeysFile.resolveSibling(apiKeysFile.getFileName() + ".lock");
        SecretFiles.createDirectories(apiKeysFile.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            List<Entry> keys = new ArrayList<>(read(apiKeysFile).keys());
            change.apply(keys);
            SecretFiles.write(apiKeysFile, JSON.writeValueAsBytes(new Contents(keys)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + apiKeysFile, e);
        }
    }
}
