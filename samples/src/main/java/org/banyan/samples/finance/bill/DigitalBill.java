package org.banyan.samples.finance.bill;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.banyan.samples.finance.Amounts;
import org.banyan.samples.finance.Caller;
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
 * Digital commercial acceptance bills, paid in the digital currency of contract {@code currency} (another
 * chaincode on the same channel, named at {@code Initialize}).
 *
 * <p>Life of a bill: a drawer's bank {@code Issue}s it for the drawer's account; the acceptor bank
 * {@code Accept}s it, naming the account it will pay from; holders pass it on — {@code Endorse} without payment,
 * or {@code Offer} then {@code Settle} for a sale or a discount paid in currency; at maturity the acceptor bank
 * {@code Redeem}s it, paying the face value to the holder. The full chain of holders stays on the bill.
 *
 * <p><b>Delivery versus payment.</b> {@code Settle} calls the currency chaincode's {@code Transfer} (buyer to
 * holder, the offered price) and moves the bill in the same transaction; {@code Redeem} pays and closes the bill
 * the same way. If the payment is refused (funds, a frozen account) the whole transaction fails: the bill never
 * moves without its payment, nor the payment without the bill. A bill has one open offer at most, and any change
 * of the bill withdraws it, so a seller cannot sell the same bill twice; two settlements racing in one block
 * conflict on the bill's key and the second fails MVCC.
 *
 * <p>Who acts for an account is its bank ({@code currency:Account} answers which, and only to that bank): the
 * caller of each function must belong to the bank of the account that gives something up.
 */
@Contract(name = DigitalBill.NAME, info = @Info(title = "Digital commercial acceptance bill", version = "1.0.0"))
public final class DigitalBill implements ContractInterface {
    public static final String NAME = "bill";
    static final String BILL_PREFIX = "bill:";
    private static final Records<Bill> BILLS = new Records<>(BILL_PREFIX, "bill", Bill.class);
    static final String ENDORSE = "ENDORSE";
    static final String TRANSFER = "TRANSFER";
    static final String DISCOUNT = "DISCOUNT";
    private static final Set<String> SALE_KINDS = Set.of(TRANSFER, DISCOUNT);

    /**
     * Names the currency chaincode bills are paid with, for an organisation's administrator; the same name again is
     * accepted, another refused ({@link CurrencyClient#configure}).
     */
    @Transaction(name = "Initialize", intent = Transaction.TYPE.SUBMIT)
    public String initialize(Context ctx, String currencyChaincode) {
        String name = CurrencyClient.configure(ctx, currencyChaincode, "Initialize");
        ctx.getStub().setEvent("Initialize", name.getBytes(StandardCharsets.UTF_8));
        return name;
    }

    /** Issues a bill held by the drawer's account, for the drawer's bank. */
    @Transaction(name = "Issue", intent = Transaction.TYPE.SUBMIT)
    public String issue(Context ctx, String billId, String drawerAccount, String acceptorMspId, String amount,
                        String maturity) {
        ChaincodeStub stub = ctx.getStub();
        BILLS.requireAbsent(stub, billId);
        CurrencyClient.actFor(ctx, drawerAccount, "issuing a bill for");
        long face = Amounts.positive("the face value", amount);
        LocalDate due = Dates.parse(maturity);
        if (!due.isAfter(Dates.today(stub))) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the maturity " + due + " must be after today, "
                    + Dates.today(stub));
        }
        if (acceptorMspId == null || acceptorMspId.isBlank()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the acceptor bank's MSP ID is missing");
        }
        Bill bill = new Bill(billId, drawerAccount, acceptorMspId, "", face, due.toString(), Bill.ISSUED,
                drawerAccount, null, List.of());
        return store(stub, "Issue", bill);
    }

    /** The acceptor bank's administrator accepts the bill, naming the account it will pay from at maturity. */
    @Transaction(name = "Accept", intent = Transaction.TYPE.SUBMIT)
    public String accept(Context ctx, String billId, String payingAccount) {
        ChaincodeStub stub = ctx.getStub();
        Bill bill = BILLS.load(stub, billId);
        Caller.of(ctx).requireAdminOf(bill.acceptor(), "accepting bill " + billId);
        if (!bill.state().equals(Bill.ISSUED)) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " is " + bill.state() + ", not ISSUED");
        }
        CurrencyClient.actFor(ctx, payingAccount, "paying bills from");
        return store(stub, "Accept", bill.accepted(payingAccount));
    }

    /** The holder passes the bill on without payment on the ledger (an endorsement in settlement of a debt). */
    @Transaction(name = "Endorse", intent = Transaction.TYPE.SUBMIT)
    public String endorse(Context ctx, String billId, String toAccount) {
        ChaincodeStub stub = ctx.getStub();
        Bill bill = circulating(stub, billId);
        CurrencyClient.actFor(ctx, bill.holder(), "endorsing a bill held by");
        requireOtherAccount(bill, toAccount);
        return store(stub, "Endorse", bill.movedTo(toAccount, ENDORSE, 0, stub.getTxId()));
    }

    /**
     * The holder offers the bill to one buyer at a price ({@code kind} TRANSFER, or DISCOUNT when a bank buys it
     * before maturity). It replaces an earlier offer; the buyer's bank completes it with {@code Settle}.
     */
    @Transaction(name = "Offer", intent = Transaction.TYPE.SUBMIT)
    public String offer(Context ctx, String billId, String buyerAccount, String price, String kind) {
        ChaincodeStub stub = ctx.getStub();
        Bill bill = circulating(stub, billId);
        CurrencyClient.actFor(ctx, bill.holder(), "offering a bill held by");
        requireOtherAccount(bill, buyerAccount);
        if (!SALE_KINDS.contains(kind)) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the kind of sale is TRANSFER or DISCOUNT, not " + kind);
        }
        long value = Amounts.positive("the price", price);
        if (value > bill.amount()) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "the price " + value + " is above the face value "
                    + bill.amount());
        }
        return store(stub, "Offer", bill.withOffer(new Bill.Offer(buyerAccount, value, kind)));
    }

    /**
     * Delivery versus payment: the buyer's bank pays the offered price from the buyer's account to the holder's,
     * in currency, and the bill moves to the buyer — in this one transaction, or not at all.
     */
    @Transaction(name = "Settle", intent = Transaction.TYPE.SUBMIT)
    public String settle(Context ctx, String billId) {
        ChaincodeStub stub = ctx.getStub();
        Bill bill = circulating(stub, billId);
        Bill.Offer offer = bill.offer();
        if (offer == null) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " is not offered for sale");
        }
        CurrencyClient.actFor(ctx, offer.buyer(), "buying a bill for");
        CurrencyClient.pay(ctx, offer.buyer(), bill.holder(), offer.price(), "the price of bill " + billId);
        return store(stub, "Settle", bill.movedTo(offer.buyer(), offer.kind(), offer.price(), stub.getTxId()));
    }

    /** At or after maturity the acceptor bank pays the face value to the holder, closing the bill. */
    @Transaction(name = "Redeem", intent = Transaction.TYPE.SUBMIT)
    public String redeem(Context ctx, String billId) {
        ChaincodeStub stub = ctx.getStub();
        Bill bill = BILLS.load(stub, billId);
        Caller.of(ctx).requireOrganisation(bill.acceptor(), "redeeming bill " + billId);
        if (!bill.state().equals(Bill.ACCEPTED)) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " is " + bill.state() + ", not ACCEPTED");
        }
        if (Dates.today(stub).isBefore(Dates.parse(bill.maturity()))) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " matures on " + bill.maturity() + ", not yet");
        }
        CurrencyClient.pay(ctx, bill.payingAccount(), bill.holder(), bill.amount(),
                "the face value of bill " + billId);
        return store(stub, "Redeem", bill.redeemed());
    }

    /** The bill with its whole chain of holders. */
    @Transaction(name = "Bill", intent = Transaction.TYPE.EVALUATE)
    public String billJson(Context ctx, String billId) {
        return Json.text(BILLS.load(ctx.getStub(), billId));
    }

    private static Bill circulating(ChaincodeStub stub, String billId) {
        Bill bill = BILLS.load(stub, billId);
        if (!bill.state().equals(Bill.ACCEPTED)) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " is " + bill.state()
                    + "; only an accepted, unredeemed bill changes hands");
        }
        if (!Dates.today(stub).isBefore(Dates.parse(bill.maturity()))) {
            throw Refusal.of(Refusal.CONFLICT, "bill " + billId + " has matured (" + bill.maturity()
                    + "): it is redeemed, not sold");
        }
        return bill;
    }

    private static void requireOtherAccount(Bill bill, String account) {
        Ids.require("account id", account);
        if (account.equals(bill.holder())) {
            throw Refusal.of(Refusal.BAD_ARGUMENT, "account " + account + " holds bill " + bill.id() + " already");
        }
    }

    private static String store(ChaincodeStub stub, String event, Bill record) {
        return BILLS.save(stub, event, record.id(), record);
    }
}
