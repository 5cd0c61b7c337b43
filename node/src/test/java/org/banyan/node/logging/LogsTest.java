package org.banyan.node.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogsTest {
    @Test
    void theFormatIsJsonOrTextAndTextByDefault() {
        assertThat(Logs.Format.parse(null)).isEqualTo(Logs.Format.TEXT);
        assertThat(Logs.Format.parse(" ")).isEqualTo(Logs.Format.TEXT);
        assertThat(Logs.Format.parse("text")).isEqualTo(Logs.Format.TEXT);
        assertThat(Logs.Format.parse("JSON")).isEqualTo(Logs.Format.JSON);
        assertThatThrownBy(() -> Logs.Format.parse("xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BANYAN_LOG_FORMAT must be json or text, not 'xml'");
    }

    @Test
    void jsonSetsTheFormatterOfEveryRootHandlerAndTextLeavesThemAlone() {
        Logger root = Logger.getLogger("");
        Map<Handler, Formatter> saved = new HashMap<>();
        for (Handler handler : root.getHandlers()) {
            saved.put(handler, handler.getFormatter());
        }
        try {
            assertThat(Logs.install("text")).isEqualTo(Logs.Format.TEXT);
            for (Handler handler : root.getHandlers()) {
                assertThat(handler.getFormatter()).isSameAs(saved.get(handler));
            }

            assertThat(Logs.install("json")).isEqualTo(Logs.Format.JSON);

            assertThat(root.getHandlers()).isNotEmpty()
                    .allMatch(handler -> handler.getFormatter() instanceof JsonLineFormatter);
        } finally {
            for (Handler handler : root.getHandlers()) {
                if (saved.containsKey(handler)) {
                    handler.setFormatter(saved.get(handler));
                } else {
                    root.removeHandler(handler);
                }
            }
        }
    }
}
