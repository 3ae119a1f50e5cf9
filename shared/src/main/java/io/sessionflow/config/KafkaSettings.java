package io.sessionflow.config;

import io.sessionflow.kafka.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach Kafka and how topics are laid out. {@code clientProperties} carries extra client
 * settings (security, SASL) from the file named by {@code KAFKA_CLIENT_PROPERTIES}.
 */
public record KafkaSettings(
        String bootstrapServers,
        Topics topics,
        int partitions,
        short replicationFactor,
        String groupProtocol,
        Map<String, String> clientProperties) {

    public static final int DEFAULT_PARTITIONS = 12;
    public static final int DEFAULT_REPLICATION_FACTOR = 1;
    /** KIP-848's protocol (Kafka 4+); {@code classic} is the other choice. */
    public static final String DEFAULT_GROUP_PROTOCOL = "consumer";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "null bootstrap servers");
        Objects.requireNonNull(topics, "null topics");
        clientProperties = Map.copyOf(clientProperties);
    }

    public static KafkaSettings read(Env env) {
        String bootstrap = env.required("KAFKA_BOOTSTRAP_SERVERS", "where the Kafka brokers are (host:port,...)");
        String prefix = env.string("SESSIONFLOW_TOPIC_PREFIX", Topics.DEFAULT_PREFIX);
        int partitions = env.integer("SESSIONFLOW_TOPIC_PARTITIONS", DEFAULT_PARTITIONS, 1, 10_000);
        int replication = env.integer("SESSIONFLOW_TOPIC_REPLICATION_FACTOR", DEFAULT_REPLICATION_FACTOR, 1, 16);
        String protocol = env.string("KAFKA_GROUP_PROTOCOL", DEFAULT_GROUP_PROTOCOL);
        if (!protocol.equals("consumer") && !protocol.equals("classic")) {
            env.error("KAFKA_GROUP_PROTOCOL must be 'consumer' (KIP-848, Kafka 4+) or 'classic', got '" + protocol + "'");
        }
        Map<String, String> extra = env.optional("KAFKA_CLIENT_PROPERTIES")
                .map(path -> loadProperties(env, Path.of(path)))
                .orElse(Map.of());
        refuseCustomPartitioning(env, extra);
        return new KafkaSettings(bootstrap, new Topics(prefix), partitions, (short) replication, protocol, extra);
    }

    /**
     * Every topic is keyed by session id, and streaming reads a session's events straight from the
     * partition the built-in partitioner picks for its key ({@link io.sessionflow.kafka.Topics#partitionOf}).
     * A producer that partitions otherwise would put events where no gateway looks: refused, not ignored.
     */
    private static void refuseCustomPartitioning(Env env, Map<String, String> clientProperties) {
        if (clientProperties.containsKey("partitioner.class")) {
            env.error("KAFKA_CLIENT_PROPERTIES sets partitioner.class=" + clientProperties.get("partitioner.class")
                    + ": Sessionflow needs the built-in partitioner (a session's records on the partition its key hashes to,"
                    + " where streaming reads them); remove it");
        }
        if (Boolean.parseBoolean(clientProperties.getOrDefault("partitioner.ignore.keys", "false").strip())) {
            env.error("KAFKA_CLIENT_PROPERTIES sets partitioner.ignore.keys=true: Sessionflow needs records partitioned by"
                    + " their key (the session id); remove it");
        }
    }

    private static Map<String, String> loadProperties(Env env, Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            env.error("KAFKA_CLIENT_PROPERTIES: cannot read " + path + ": " + e.getMessage());
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    @Override
    public String toString() {
        return "KafkaSettings[bootstrap=" + Secrets.url(bootstrapServers) + ", prefix=" + topics.prefix() + ", partitions=" + partitions
                + ", replication=" + replicationFactor + ", group.protocol=" + groupProtocol
                + ", extra client properties=" + Secrets.properties(clientProperties) + "]";
    }
}
