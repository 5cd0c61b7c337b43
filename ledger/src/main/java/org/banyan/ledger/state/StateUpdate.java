package org.banyan.ledger.state;

import com.google.protobuf.ByteString;
import java.util.SortedMap;

/**
 * One key's change within a block, already reduced to its final effect (the last valid transaction in the
 * block to touch the key wins, as in Fabric).
 *
 * @param value the new value; ignored when {@code delete}
 * @param metadata the key's metadata after the change; {@code null} keeps the existing metadata
 * @param version the (block, tx) of the transaction making the change
 */
public record StateUpdate(String namespace, String key, boolean delete, ByteString value,
                          SortedMap<String, ByteString> metadata, Version version) {}
