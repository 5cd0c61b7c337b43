/**
 * The digital commercial acceptance bill: issued by a drawer, accepted by a bank, passed along a chain of holders,
 * sold or discounted against digital currency in one transaction (delivery versus payment), redeemed at maturity.
 */
package org.banyan.samples.finance.bill;
