package io.sessionflow.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' own logback.xml: logback prints its whole status before the first log line whenever
 * configuring it raised a warning or an error, so it must raise none, in either log format.
 */
class LogbackConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"text", "json"})
    void shouldConfigureWithoutAWarningSoThatLogbackPrintsNothingOfItsOwn(String format) throws Exception {
        URL configuration = LogbackConfigurationTest.class.getClassLoader().getResource("logback.xml");
        LoggerContext context = new LoggerContext();
        context.putProperty("SESSIONFLOW_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);

        configurator.doConfigure(configuration);

        assertThat(context.getStatusManager().getCopyOfStatusList()).as("logback's status")
                .allSatisfy(s -> assertThat(s.getLevel()).as(s.toString()).isLessThan(Status.WARN));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(format)).isInstanceOf(ConsoleAppender.class);
        assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
        context.stop();
    }
}
