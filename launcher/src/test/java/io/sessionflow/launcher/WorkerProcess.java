package io.sessionflow.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A run-worker as its own JVM, as deployments run it, so it can be killed for real. */
final class WorkerProcess {

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String name, Map<String, String> env) throws IOException {
        Path logs = Path.of("target", "fault-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.sessionflow.launcher.Sessionflow", "run-worker"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new WorkerProcess(builder.start(), log);
    }

    /** {@code kill -9}: no shutdown hook, no commit, nothing handed back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful path. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    File log() {
        return log.toFile();
    }
}
