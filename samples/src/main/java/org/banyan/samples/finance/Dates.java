package org.banyan.samples.finance;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * Calendar days for due dates and maturities. "Today" is the transaction's timestamp in UTC: the client sets it in
 * the proposal and every endorser reads the same one, so they agree (a node's own clock would not).
 */
public final class Dates {
    private Dates() {}

    public static LocalDate today(ChaincodeStub stub) {
        return LocalDate.ofInstant(stub.getTxTimestamp(), ZoneOffset.UTC);
    }

    /** A {@code yyyy-mm-dd} argument; anything else is refused. */
    public static LocalDate parse(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "a date is yyyy-mm-dd, not '" + text + "'");
        }
    }
}
