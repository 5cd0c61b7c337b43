package org.banyan.samples.finance;

import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * One kind of record kept as JSON under {@code <prefix><id>} (bills, invoices, loans): read one or refuse with
 * NOT_FOUND, write one and emit the change as the transaction's event.
 *
 * @param prefix the keys' prefix, e.g. {@code bill:}
 * @param noun what a record is called in messages, e.g. {@code bill}
 * @param type the record's class
 */
public record Records<T>(String prefix, String noun, Class<T> type) {
    /** The record with this ID; a malformed or unknown ID is refused, naming it. */
    public T load(ChaincodeStub stub, String id) {
        Ids.require(noun + " id", id);
        byte[] stored = stub.getState(prefix + id);
        if (stored == null || stored.length == 0) {
            throw Refusal.of(Refusal.NOT_FOUND, noun + " " + id + " does not exist");
        }
        return Json.decode(prefix + id, stored, type);
    }

    /** Refuses when a record with this ID exists already. */
    public void requireAbsent(ChaincodeStub stub, String id) {
        Ids.require(noun + " id", id);
        if (!stub.getStringState(prefix + id).isEmpty()) {
            throw Refusal.of(Refusal.EXISTS, noun + " " + id + " exists");
        }
    }

    /** Writes the record and makes it the transaction's event {@code event}; returns its JSON. */
    public String save(ChaincodeStub stub, String event, String id, T record) {
        String json = Json.text(record);
        stub.putStringState(prefix + id, json);
        stub.setEvent(event, json.getBytes(StandardCharsets.UTF_8));
        return json;
    }
}
