/**
 * Invoice financing: a supplier's invoice, confirmed by its buyer, sold or pledged once to a financier against
 * payment in digital currency, and paid by the buyer at its due date to whoever is owed.
 */
package org.banyan.samples.finance.invoice;
