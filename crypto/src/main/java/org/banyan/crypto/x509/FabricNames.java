package org.banyan.crypto.x509;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Subject names in the shape Fabric's cryptogen writes: C=US, ST=California, L=San Francisco, O, OU, CN. */
public final class FabricNames {
    private FabricNames() {}

    /**
     * A subject name.
     *
     * @param organization the O, Fabric uses the org's domain ({@code org1.example.com})
     * @param organizationalUnit the OU, a NodeOU such as {@code peer}; null or empty for none (CA certificates)
     * @param commonName the CN ({@code peer0.org1.example.com})
     */
    public static X500Name subject(String organization, String organizationalUnit, String commonName) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.ST, "California")
                .addRDN(BCStyle.L, "San Francisco")
                .addRDN(BCStyle.O, organization);
        if (organizationalUnit != null && !organizationalUnit.isEmpty()) {
            builder.addRDN(BCStyle.OU, organizationalUnit);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }
}
