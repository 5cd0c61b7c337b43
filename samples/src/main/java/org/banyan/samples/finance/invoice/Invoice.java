package org.banyan.samples.finance.invoice;

/**
 * One invoice, as stored under {@code invoice:<id>}. Parties are digital currency accounts (their banks act for
 * them).
 *
 * @param id the invoice's number
 * @param documentHash SHA-256 of the invoice document, hex: the same document cannot be registered twice
 * @param supplier the account that issued it
 * @param buyer the account that owes it
 * @param amount minor units
 * @param dueDate ISO {@code yyyy-mm-dd} (UTC)
 * @param state REGISTERED, CONFIRMED, SOLD, PLEDGED, PAID
 * @param financier the account that bought it or holds it in pledge; empty before financing
 * @param advance what the financier paid the supplier; 0 before financing
 * @param payee who the buyer pays at the due date: the supplier, or the financier once financed
 */
public record Invoice(String id, String documentHash, String supplier, String buyer, long amount, String dueDate,
                      String state, String financier, long advance, String payee) {
    public static final String REGISTERED = "REGISTERED";
    public static final String CONFIRMED = "CONFIRMED";
    public static final String SOLD = "SOLD";
    public static final String PLEDGED = "PLEDGED";
    public static final String PAID = "PAID";

    Invoice withState(String value) {
        return new Invoice(id, documentHash, supplier, buyer, amount, dueDate, value, financier, advance, payee);
    }

    Invoice financed(String mode, String account, long paid) {
        return new Invoice(id, documentHash, supplier, buyer, amount, dueDate, mode, account, paid, account);
    }
}
