/**
 * The finance reference applications of issue 7, written as ordinary Fabric chaincode (Java contract API): digital
 * currency, digital bills with delivery-versus-payment, invoice financing, points exchange and joint-loan
 * clearing. They run on any Fabric network, and on Banyan in-process or as chaincode processes.
 *
 * <p>Shared here: who is calling ({@link org.banyan.samples.finance.Caller}), amounts in exact minor units
 * ({@link org.banyan.samples.finance.Amounts}), deterministic JSON ({@link org.banyan.samples.finance.Json}) and
 * refusals with stable codes ({@link org.banyan.samples.finance.Refusal}). See docs/finance.md.
 */
package org.banyan.samples.finance;
