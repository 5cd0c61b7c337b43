/**
 * Cross-programme points exchange: banks, airlines and hotels run points programmes, publish exchange rates, let
 * customers swap points atomically, and clear what they owe each other in digital currency.
 */
package org.banyan.samples.finance.points;
