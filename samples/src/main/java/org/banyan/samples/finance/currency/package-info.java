/** The digital currency: a central bank issues it, banks hold and move it for their customers, a regulator freezes. */
package org.banyan.samples.finance.currency;
