/** Generation of test-network crypto material in Fabric's cryptogen layout: {@link org.banyan.crypto.gen.CryptoGenerator}. */
package org.banyan.crypto.gen;
