package org.banyan.ledger.lifecycle;

import java.util.regex.Pattern;

/**
 * Names Fabric's {@code _lifecycle} uses, and the layout of its state in namespace {@value #NAME} (see
 * {@code docs/lifecycle.md}):
 *
 * <pre>
 * namespaces/metadata/&lt;cc&gt;                         StateMetadata{ChaincodeDefinition: Sequence, EndorsementInfo, ValidationInfo, Collections}
 * namespaces/fields/&lt;cc&gt;/&lt;field&gt;                  StateData of each field                      (committed definition, as Fabric)
 * _implicit_org_&lt;MSP&gt;/namespaces/metadata/&lt;cc&gt;#&lt;n&gt;    StateMetadata{ChaincodeParameters: EndorsementInfo, ValidationInfo, Collections}
 * _implicit_org_&lt;MSP&gt;/namespaces/fields/&lt;cc&gt;#&lt;n&gt;/&lt;field&gt;
 * _implicit_org_&lt;MSP&gt;/chaincode-sources/metadata/&lt;cc&gt;#&lt;n&gt;  StateMetadata{ChaincodeLocalPackage: PackageID}
 * _implicit_org_&lt;MSP&gt;/chaincode-sources/fields/&lt;cc&gt;#&lt;n&gt;/PackageID
 * </pre>
 *
 * The committed definitions use Fabric's public keys and values byte for byte. An organisation's approval is
 * what Fabric keeps in the organisation's implicit private collection {@code _implicit_org_<MSP>}; Banyan has no
 * private data, so the same keys live in public state under the collection's name as a prefix.
 */
public final class LifecycleNamespace {
    /** The state namespace and the system chaincode's name. */
    public static final String NAME = "_lifecycle";

    /** Fabric's {@code LifecycleEndorsementPolicyRef}: what {@code _lifecycle} writes must satisfy. */
    public static final String LIFECYCLE_ENDORSEMENT_POLICY = "/Channel/Application/LifecycleEndorsement";
    /** Fabric's {@code DefaultEndorsementPolicyRef}: a definition that names no policy gets this one. */
    public static final String DEFAULT_ENDORSEMENT_POLICY = "/Channel/Application/Endorsement";
    /** The ACL policy of the channel-scoped functions ({@code CHANNELWRITERS} in Fabric's default ACLs). */
    public static final String CHANNEL_WRITERS_POLICY = "/Channel/Application/Writers";

    /** Fabric's implicit collection name prefix, {@code _implicit_org_<MSP ID>}. */
    public static final String IMPLICIT_ORG_PREFIX = "_implicit_org_";

    public static final String INSTALL_CHAINCODE = "InstallChaincode";
    public static final String QUERY_INSTALLED_CHAINCODE = "QueryInstalledChaincode";
    public static final String QUERY_INSTALLED_CHAINCODES = "QueryInstalledChaincodes";
    public static final String GET_INSTALLED_CHAINCODE_PACKAGE = "GetInstalledChaincodePackage";
    public static final String APPROVE_CHAINCODE_DEFINITION_FOR_MY_ORG = "ApproveChaincodeDefinitionForMyOrg";
    public static final String QUERY_APPROVED_CHAINCODE_DEFINITION = "QueryApprovedChaincodeDefinition";
    public static final String CHECK_COMMIT_READINESS = "CheckCommitReadiness";
    public static final String COMMIT_CHAINCODE_DEFINITION = "CommitChaincodeDefinition";
    public static final String QUERY_CHAINCODE_DEFINITION = "QueryChaincodeDefinition";
    public static final String QUERY_CHAINCODE_DEFINITIONS = "QueryChaincodeDefinitions";

    /** Fabric's default plugins, set on a definition that names none. */
    static final String DEFAULT_ENDORSEMENT_PLUGIN = "escc";
    static final String DEFAULT_VALIDATION_PLUGIN = "vscc";

    /** Fabric's {@code NamespacesName} and {@code ChaincodeSourcesName} key spaces. */
    static final String NAMESPACES = "namespaces";
    static final String CHAINCODE_SOURCES = "chaincode-sources";

    /** Fabric's chaincode name and version rules ({@code ChaincodeNameRegExp}, {@code ChaincodeVersionRegExp}). */
    static final Pattern CHAINCODE_NAME = Pattern.compile("^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$");
    static final Pattern CHAINCODE_VERSION = Pattern.compile("^[A-Za-z0-9_.+-]+$");

    private LifecycleNamespace() {}

    /** The key prefix of an organisation's approvals: its implicit collection's name and a slash. */
    public static String orgPrefix(String mspId) {
        return IMPLICIT_ORG_PREFIX + mspId + "/";
    }
}
