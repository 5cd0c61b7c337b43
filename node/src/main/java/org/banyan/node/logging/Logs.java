package org.banyan.node.logging;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Chooses how the node's logs look. The node logs through {@code System.Logger}, which the JDK backs with
 * {@code java.util.logging}; {@link #install} sets the format on the root logger's handlers, so every logger —
 * the node's, gRPC's, Netty's — writes alike. Call it once, at process start, before the node starts.
 */
public final class Logs {
    /** The environment variable that chooses the format: {@code json} or {@code text} (the default). */
    public static final String FORMAT_ENV = "BANYAN_LOG_FORMAT";

    /** A log format. */
    public enum Format {
        /** The JDK's default: two lines per record from {@code SimpleFormatter}, as without {@link Logs}. */
        TEXT,
        /** One JSON object per line ({@link JsonLineFormatter}). */
        JSON;

        /**
         * {@code json} or {@code text}, any case; null or blank is {@link #TEXT}.
         *
         * @throws IllegalArgumentException for another value
         */
        public static Format parse(String value) {
            if (value == null || value.isBlank()) {
                return TEXT;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException(FORMAT_ENV + " must be json or text, not '" + value
                        + "'");
            };
        }
    }

    private Logs() {}

    /** {@link #install(String)} with the value of {@value #FORMAT_ENV}: the one call of {@code banyan node start}. */
    public static Format installFromEnvironment() {
        return install(System.getenv(FORMAT_ENV));
    }

    /**
     * Sets the log format of the whole process: for {@code json}, every handler of the root logger formats with
     * {@link JsonLineFormatter} (a console handler on stderr is added if there is none); for {@code text} or
     * nothing, the logging configuration stays as it is.
     *
     * @return the format now in use
     * @throws IllegalArgumentException for a value other than json or text
     */
    public static Format install(String format) {
        Format chosen = Format.parse(format);
        if (chosen == Format.JSON) {
            Logger root = Logger.getLogger("");
            if (root.getHandlers().length == 0) {
                root.addHandler(new ConsoleHandler());
            }
            JsonLineFormatter json = new JsonLineFormatter();
            for (Handler handler : root.getHandlers()) {
                handler.setFormatter(json);
            }
        }
        return chosen;
    }
}
