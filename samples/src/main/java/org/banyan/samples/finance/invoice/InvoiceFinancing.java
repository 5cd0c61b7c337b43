package org.banyan.samples.finance.invoice;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import org.banyan.samples.finance.Amounts;
import org.banyan.samples.finance.CurrencyClient;
import org.banyan.samples.finance.Dates;
import org.banyan.samples.finance.Ids;
import org.banyan.samples.finance.Json;
import org.banyan.samples.finance.Records;
import org.banyan.samples.finance.Refusal;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * Invoice financing (factoring and pledging) against one ledger record per invoice, so the same receivable is never
 * financed twice.
 *
 * <p>A supplier's bank {@code Register}s the invoice with its document's hash (a second registration of the same
 * document is refused, whatever its number); the buyer's bank {@code Confirm}s it, which is what makes it worth
 * financing; a financier's bank {@code Finance}s it, {@code SELL} or {@code PLEDGE}, paying the advance to the
 * supplier in digital currency in the same transaction; at or after the due date the buyer's bank {@code Pay}s the
 * full amount to the payee — the financier once financed, else the supplier.
 *
 * <p><b>One financing only.</b> {@code Finance} requires a CONFIRMED invoice and leaves it SOLD or PLEDGED, so a
 * second sale or pledge is refused. Two financings racing in one block both read the invoice's key at the same
 * version; validation lets the first through and marks the second {@code MVCC_READ_CONFLICT}, and its payment,
 * being part of the same transaction, is not applied either.
 */
@Contract(name = InvoiceFinancing.NAME, info = @Info(title = "Invoice financing", version = "1.0.0"))
public final class InvoiceFinancing implements ContractInterface {
    public static final String NAME = "invoice";
    static final String INVOICE_PREFIX = "invoice:";
    private static final Records<Invoice> INVOICES = new Records<>(INVOICE_PREFIX, "invoice", Invoice.class);
    static final String DOCUMENT_PREFIX = "invoice-document:";
    private static final Set<String> MODES = Set.of(Invoice.SOLD, Invoice.PLEDGED);

    /** Names the currency chaincode payments go through (shared with the other paying contracts). */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(Context ctx, String currencyChaincode) {
        return CurrencyClient.configure(ctx, currencyChaincode, "Initialize");
    }

    /** Registers an invoice the supplier issued, for the supplier's bank. */
    @Transaction(name = "Register", intent = Transaction.TYPE.SUBMIT)
    public String register(Context ctx, String invoiceId, String supplierAccount, String buyerAccount, String amount,
                           String dueDate, String documentHash) {
        ChaincodeStub stub = ctx.getStub();
        INVOICES.requireAbsent(stub, invoiceId);
        String hash = documentHash == null ? "" : documentHash.toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{64}")) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the document hash is SHA-256 in hex (64 digits)");
        }
        String registered = stub.getStringState(DOCUMENT_PREFIX + hash);
        if (!registered.isEmpty()) {
            throw Refusal.of(Refusal.EXISTS, "this document is registered already, as invoice " + registered);
        }
        CurrencyClient.actFor(ctx, supplierAccount, "registering an invoice of");
        Ids.require("account id", buyerAccount);
        if (buyerAccount.equals(supplierAccount)) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the buyer and the supplier are different accounts");
        }
        long value = Amounts.positive("the amount", amount);
        LocalDate due = Dates.parse(dueDate);
        if (!due.isAfter(Dates.today(stub))) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the due date " + due + " must be after today, "
                    + Dates.today(stub));
        }
        stub.putStringState(DOCUMENT_PREFIX + hash, invoiceId);
        return store(stub, "Register", new Invoice(invoiceId, hash, supplierAccount, buyerAccount, value,
                due.toString(), Invoice.REGISTERED, "", 0, supplierAccount));
    }

    /** The buyer's bank confirms the buyer owes the invoice. */
    @Transaction(name = "Confirm", intent = Transaction.TYPE.SUBMIT)
    public String confirm(Context ctx, String invoiceId) {
        ChaincodeStub stub = ctx.getStub();
        Invoice invoice = INVOICES.load(stub, invoiceId);
        CurrencyClient.actFor(ctx, invoice.buyer(), "confirming an invoice owed by");
        requireState(invoice, Invoice.REGISTERED);
        return store(stub, "Confirm", invoice.withState(Invoice.CONFIRMED));
    }

    /**
     * The financier's bank buys ({@code SELL}) or lends against ({@code PLEDGE}) a confirmed invoice, paying
     * {@code advance} from the financier's account to the supplier's in the same transaction; from then on the
     * buyer pays the financier. Once only.
     */
    @Transaction(name = "Finance", intent = Transaction.TYPE.SUBMIT)
    public String finance(Context ctx, String invoiceId, String financierAccount, String advance, String mode) {
        ChaincodeStub stub = ctx.getStub();
        Invoice invoice = INVOICES.load(stub, invoiceId);
        if (!MODES.contains(mode)) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the mode is SOLD or PLEDGED, not " + mode);
        }
        if (invoice.state().equals(Invoice.SOLD) || invoice.state().equals(Invoice.PLEDGED)) {
            throw Refusal.of(Refusal.CONFLICT, "invoice " + invoiceId + " is " + invoice.state() + " to "
                    + invoice.financier() + " already: it is financed once");
        }
        requireState(invoice, Invoice.CONFIRMED);
        if (!Dates.today(stub).isBefore(Dates.parse(invoice.dueDate()))) {
            throw Refusal.of(Refusal.CONFLICT, "invoice " + invoiceId + " is due (" + invoice.dueDate() + ")");
        }
        CurrencyClient.actFor(ctx, financierAccount, "financing an invoice from");
        if (financierAccount.equals(invoice.supplier()) || financierAccount.equals(invoice.buyer())) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the financier is neither the supplier nor the buyer");
        }
        long paid = Amounts.positive("the advance", advance);
        if (paid > invoice.amount()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the advance " + paid + " is above the invoice's amount "
                    + invoice.amount());
        }
        CurrencyClient.pay(ctx, financierAccount, invoice.supplier(), paid, "the advance on invoice " + invoiceId);
        return store(stub, "Finance", invoice.financed(mode, financierAccount, paid));
    }

    /** At or after the due date the buyer's bank pays the full amount to the payee, closing the invoice. */
    @Transaction(name = "Pay", intent = Transaction.TYPE.SUBMIT)
    public String pay(Context ctx, String invoiceId) {
        ChaincodeStub stub = ctx.getStub();
        Invoice invoice = INVOICES.load(stub, invoiceId);
        CurrencyClient.actFor(ctx, invoice.buyer(), "paying an invoice owed by");
        if (invoice.state().equals(Invoice.REGISTERED) || invoice.state().equals(Invoice.PAID)) {
            throw Refusal.of(Refusal.CONFLICT, "invoice " + invoiceId + " is " + invoice.state()
                    + "; only a confirmed invoice is paid");
        }
        if (Dates.today(stub).isBefore(Dates.parse(invoice.dueDate()))) {
            throw Refusal.of(Refusal.CONFLICT, "invoice " + invoiceId + " is due on " + invoice.dueDate()
                    + ", not yet");
        }
        CurrencyClient.pay(ctx, invoice.buyer(), invoice.payee(), invoice.amount(), "invoice " + invoiceId);
        return store(stub, "Pay", invoice.withState(Invoice.PAID));
    }

    /** The invoice. */
    @Transaction(name = "Invoice", intent = Transaction.TYPE.EVALUATE)
    public String invoiceJson(Context ctx, String invoiceId) {
        return Json.text(INVOICES.load(ctx.getStub(), invoiceId));
    }

    private static void requireState(Invoice invoice, String state) {
        if (!invoice.state().equals(state)) {
            throw Refusal.of(Refusal.CONFLICT, "invoice " + invoice.id() + " is " + invoice.state() + ", not "
                    + state);
        }
    }

    private static String store(ChaincodeStub stub, String event, Invoice record) {
        return INVOICES.save(stub, event, record.id(), record);
    }
}
