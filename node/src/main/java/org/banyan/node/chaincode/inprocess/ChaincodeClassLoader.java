package org.banyan.node.chaincode.inprocess;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * One chaincode's classes: the chaincode's class path (its jar or classes and every library it ships, the Fabric
 * shim, contract API and protobuf included) over the JDK alone. Delegation, in order:
 *
 * <ol>
 *   <li>the port package ({@code org.banyan.node.chaincode.inprocess.port}) from the node: the one shared definition
 *       of what crosses between the node and the chaincode, Java types only;
 *   <li>the shim side ({@code org.banyan.node.chaincode.inprocess.shim}) defined here, from the node's class files:
 *       so it links against the shim and protobuf classes of this chaincode, not the node's;
 *   <li>the JDK (platform class loader) first, as any class loader must;
 *   <li>everything else from the chaincode's class path only. The node's own classes and libraries are not visible,
 *       so a chaincode's copy of a library never meets the node's, and two chaincodes never meet each other.
 * </ol>
 */
final class ChaincodeClassLoader extends URLClassLoader {
    static final String PORT_PACKAGE = "org.banyan.node.chaincode.inprocess.port.";
    static final String SHIM_PACKAGE = "org.banyan.node.chaincode.inprocess.shim.";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader node;

    /**
     * @param classPath the chaincode's jars and class directories
     * @param node the node's class loader, which holds the port and the shim side's class files
     */
    ChaincodeClassLoader(String name, URL[] classPath, ClassLoader node) {
        super(name, classPath, ClassLoader.getPlatformClassLoader());
        this.node = node;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (name.startsWith(PORT_PACKAGE)) {
                    loaded = node.loadClass(name);
                } else if (name.startsWith(SHIM_PACKAGE)) {
                    loaded = defineShimClass(name);
                } else {
                    loaded = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> defineShimClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = node.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
