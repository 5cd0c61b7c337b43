package org.banyan.samples.finance.currency;

/**
 * Who governs the currency, fixed once by {@code Initialize}.
 *
 * @param centralBank the MSP ID whose administrators mint and burn
 * @param regulator the MSP ID whose administrators freeze and unfreeze accounts, and may read every account
 */
public record CurrencyConfig(String centralBank, String regulator) {}
