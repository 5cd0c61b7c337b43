package org.banyan.ledger;

import java.util.Optional;
import org.banyan.ledger.state.VersionedValue;

/** Reads committed state: what {@link BlockUpdates} needs to resolve metadata-only writes. */
@FunctionalInterface
public interface StateReader {
    Optional<VersionedValue> get(String namespace, String key);
}
