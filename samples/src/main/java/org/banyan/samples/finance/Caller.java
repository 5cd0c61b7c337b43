package org.banyan.samples.finance;

import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;

/**
 * Who submitted the transaction, from the creator's certificate as the contract API gives it: the organisation
 * (MSP ID) and whether the certificate is one of that organisation's administrators — Fabric's NodeOU
 * {@code OU=admin}, or a Fabric CA attribute {@code role=admin}.
 */
public record Caller(String mspId, String id, boolean admin) {
    /** The attribute a Fabric CA enrolment can carry to mark an administrator. */
    public static final String ROLE_ATTRIBUTE = "role";

    public static Caller of(Context ctx) {
        ClientIdentity identity = ctx.getClientIdentity();
        boolean admin = "admin".equals(identity.getAttributeValue(ROLE_ATTRIBUTE))
                || hasOrganisationalUnit(identity.getX509Certificate(), "admin");
        return new Caller(identity.getMSPID(), identity.getId(), admin);
    }

    /** Refuses unless the caller belongs to {@code mspId}. */
    public Caller requireOrganisation(String mspId, String action) {
        if (!this.mspId.equals(mspId)) {
            throw Refusal.of(Refusal.FORBIDDEN, action + " is for " + mspId + ", not " + this.mspId);
        }
        return this;
    }

    /** Refuses unless the caller is an administrator of {@code mspId}. */
    public Caller requireAdminOf(String mspId, String action) {
        requireOrganisation(mspId, action);
        if (!admin) {
            throw Refusal.of(Refusal.FORBIDDEN, action + " needs an administrator of " + mspId + "; " + id
                    + " is not one");
        }
        return this;
    }

    private static boolean hasOrganisationalUnit(X509Certificate certificate, String unit) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU") && unit.equalsIgnoreCase(String.valueOf(rdn.getValue()))) {
                    return true;
                }
            }
            return false;
        } catch (InvalidNameException e) {
            return false;
        }
    }
}
