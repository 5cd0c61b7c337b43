package org.banyan.samples.finance.currency;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One account of the currency, as stored under {@code account:<id>}.
 *
 * @param id the account's name, chosen by the bank that opened it
 * @param bank the MSP ID of the bank that holds it: only that bank's identities move its money
 * @param holder who the money belongs to, as the bank names its customer
 * @param balance in minor units, never negative
 * @param frozen set by the regulator: nothing moves in or out while frozen
 * @param frozenReason the regulator's reason, empty when not frozen
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Account(String id, String bank, String holder, long balance, boolean frozen, String frozenReason) {
    Account withBalance(long value) {
        return new Account(id, bank, holder, value, frozen, frozenReason);
    }

    Account withFrozen(boolean value, String reason) {
        return new Account(id, bank, holder, balance, value, value ? reason : "");
    }
}
