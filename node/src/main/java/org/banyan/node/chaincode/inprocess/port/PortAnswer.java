package org.banyan.node.chaincode.inprocess.port;

import java.util.Objects;
import java.util.Optional;

/** What a chaincode answered a transaction or an invocation: {@code COMPLETED} or {@code ERROR}. */
public sealed interface PortAnswer {
    /**
     * {@code COMPLETED}: Fabric's {@code Response} and the event the chaincode set.
     *
     * @param message null when the chaincode gave none (Fabric's shim leaves the field unset)
     * @param payload null when the chaincode gave none
     */
    record Completed(int status, String message, byte[] payload, Optional<PortEvent> event) implements PortAnswer {
        public Completed {
            Objects.requireNonNull(event, "event");
        }
    }

    /** {@code ERROR} with its text (Fabric's Java shim sends the stack trace of what the chaincode threw). */
    record Failed(String text) implements PortAnswer {
        public Failed {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A chaincode event.
     *
     * @param payload null when the chaincode set none
     */
    record PortEvent(String name, byte[] payload) {
        public PortEvent {
            Objects.requireNonNull(name, "name");
        }
    }
}
