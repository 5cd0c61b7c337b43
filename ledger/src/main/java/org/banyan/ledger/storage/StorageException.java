package org.banyan.ledger.storage;

import java.io.IOException;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A store could not read or write its files: the disk is full, an IO call failed, or the stored bytes are
 * corrupt. Not a bug in Banyan and not bad input — the node reports {@link #kind()} (for example "disk full")
 * and stops committing; the block store remains the truth, so the derived store can be rebuilt.
 */
public final class StorageException extends RuntimeException {
    /** What went wrong, precise enough for an operator to act on. */
    public enum Kind {
        /** The file system has no space left. */
        NO_SPACE,
        /** Any other failure of the file system or the storage engine's IO. */
        IO_ERROR,
        /** Stored bytes do not decode, or the engine reports corruption. */
        CORRUPTION,
        /** Any other storage-engine failure. */
        OTHER
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    /**
     * @param kind what went wrong
     * @param message what the store was doing, and where
     * @param cause the engine's or the JDK's exception, or {@code null}
     */
    public StorageException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    /** Classifies a RocksDB failure during {@code operation} (for example "write block 7 to /data/state"). */
    public static StorageException of(String operation, RocksDBException cause) {
        return new StorageException(classify(cause), operation + ": " + cause.getMessage(), cause);
    }

    /** Wraps a JDK IO failure during {@code operation}. */
    public static StorageException of(String operation, IOException cause) {
        return new StorageException(mentionsNoSpace(cause.getMessage()) ? Kind.NO_SPACE : Kind.IO_ERROR,
                operation + ": " + cause.getMessage(), cause);
    }

    /** Stored bytes that do not decode: {@code what} names the record. */
    public static StorageException corrupt(String what) {
        return new StorageException(Kind.CORRUPTION, what, null);
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    private static Kind classify(RocksDBException cause) {
        Status status = cause.getStatus();
        if (status == null) {
            return mentionsNoSpace(cause.getMessage()) ? Kind.NO_SPACE : Kind.OTHER;
        }
        if (status.getSubCode() == Status.SubCode.NoSpace) {
            return Kind.NO_SPACE;
        }
        return switch (status.getCode()) {
            case Corruption -> Kind.CORRUPTION;
            // RocksDB often reports ENOSPC as a plain IOError whose text carries strerror's words.
            case IOError -> mentionsNoSpace(cause.getMessage()) ? Kind.NO_SPACE : Kind.IO_ERROR;
            default -> Kind.OTHER;
        };
    }

    private static boolean mentionsNoSpace(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("no space left");
    }
}
