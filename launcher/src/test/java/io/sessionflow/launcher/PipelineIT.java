package io.sessionflow.launcher;

import io.sessionflow.embedded.EmbeddedStackExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An integration test on the shared embedded servers: its constructor and methods may take the
 * {@link TestPipeline} (gateway and workers, started once per JVM) or the servers themselves
 * ({@code EmbeddedStack}, {@code EmbeddedKafka}, {@code EmbeddedPostgresServer}; marked
 * {@code @EmbeddedStackExtension.Own} for servers of the class's own, which it may stop or restart).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EmbeddedStackExtension.class)
@ExtendWith(TestPipeline.Resolver.class)
@interface PipelineIT {
}
