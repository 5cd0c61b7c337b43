package org.banyan.node.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats each {@code java.util.logging} record (what {@code System.Logger} writes to by default) as one JSON object
 * on one line, for log collectors:
 *
 * <pre>{@code
 * {"time":"2025-01-31T12:00:00.123456Z","level":"INFO","logger":"org.banyan.node.Node","thread":"main",
 *  "message":"node1: consenter 127.0.0.1:7050, ...",
 *  "error":{"class":"java.io.IOException","message":"...","stack":"java.io.IOException: ...\n\tat ..."}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code time}: the record's instant, ISO-8601 in UTC;
 *   <li>{@code level}: {@code System.Logger}'s names — ERROR, WARNING, INFO, DEBUG, TRACE — for JUL's SEVERE,
 *       WARNING, INFO/CONFIG, FINE, FINER/FINEST (a custom level keeps its own name);
 *   <li>{@code thread}: the name of the logging thread, or {@code #<id>} when another thread formats the record
 *       (a {@code LogRecord} carries only the thread's id);
 *   <li>{@code message}: with its parameters applied ({@link Formatter#formatMessage});
 *   <li>{@code error}: only with an exception — its class, message and full stack trace (causes included).
 * </ul>
 * Jackson writes the strings, so quotes, backslashes, line breaks and control characters in a message are escaped
 * and a record never spans two lines. Stateless and thread-safe.
 */
public final class JsonLineFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(record.getInstant()));
            json.writeStringField("level", levelName(record.getLevel()));
            json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            json.writeStringField("thread", threadName(record.getLongThreadID()));
            json.writeStringField("message", formatMessage(record));
            if (record.getThrown() != null) {
                writeError(json, record.getThrown());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.append('\n').toString();
    }

    private static void writeError(JsonGenerator json, Throwable thrown) throws IOException {
        StringWriter stack = new StringWriter();
        try (PrintWriter printer = new PrintWriter(stack)) {
            thrown.printStackTrace(printer);
        }
        json.writeObjectFieldStart("error");
        json.writeStringField("class", thrown.getClass().getName());
        json.writeStringField("message", thrown.getMessage() == null ? "" : thrown.getMessage());
        json.writeStringField("stack", stack.toString());
        json.writeEndObject();
    }

    /** {@code System.Logger.Level}'s name for a JUL level (the mapping of the JDK's logger bridge). */
    static String levelName(Level level) {
        if (level == Level.SEVERE) {
            return "ERROR";
        }
        if (level == Level.WARNING) {
            return "WARNING";
        }
        if (level == Level.INFO || level == Level.CONFIG) {
            return "INFO";
        }
        if (level == Level.FINE) {
            return "DEBUG";
        }
        if (level == Level.FINER || level == Level.FINEST) {
            return "TRACE";
        }
        return level.getName();
    }

    /** The logging thread's name when it is the current one (handlers such as ConsoleHandler format in place). */
    private static String threadName(long threadId) {
        Thread current = Thread.currentThread();
        return current.threadId() == threadId ? current.getName() : "#" + threadId;
    }
}
