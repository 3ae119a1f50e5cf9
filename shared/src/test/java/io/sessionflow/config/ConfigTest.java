package io.sessionflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static Env env(String... pairs) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return new Env(vars);
    }

    @Test
    void shouldTurnPostgresUrlIntoJdbcUrlWithDecodedCredentials() {
        Env env = env("DATABASE_URL", "postgres://u:p%40ss@db:5433/app");

        DatabaseSettings db = DatabaseSettings.read(env);
        env.check();

        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/app");
        assertThat(db.user()).isEqualTo("u");
        assertThat(db.password()).isEqualTo("p@ss");
        assertThat(db.poolSize()).isEqualTo(16);
    }

    @Test
    void shouldKeepPlusSignInUrlPasswordLiteral() {
        // In a URI's user info '+' is an ordinary character (only %XX is decoded, as libpq does);
        // it is not the space of HTML form encoding.
        DatabaseSettings db = DatabaseSettings.read(env("DATABASE_URL", "postgres://u+1:a+b%2Bc@db:5433/app"));

        assertThat(db.user()).isEqualTo("u+1");
        assertThat(db.password()).isEqualTo("a+b+c");
    }

    @Test
    void shouldMaskPasswordInToString() {
        DatabaseSettings db = DatabaseSettings.read(env("DATABASE_URL", "postgres://u:p%40ss@db:5433/app"));

        assertThat(db.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").contains("****")
                .contains("jdbc:postgresql://db:5433/app").contains("user=u");
    }

    @Test
    void shouldMaskEverySecretOfTheLoggedConfiguration() throws Exception {
        java.nio.file.Path properties = java.nio.file.Files.createTempFile("kafka-client", ".properties");
        java.nio.file.Files.writeString(properties, "security.protocol=SASL_SSL\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-pw\";\n"
                + "ssl.truststore.password=trust-pw\n");
        Env env = env("DATABASE_URL", "postgres://app:url-pw@db:5433/app?sslpassword=ssl-pw&sslmode=require",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_CLIENT_PROPERTIES", properties.toString(),
                "OPENAI_API_KEY", "sk-api-key", "OPENAI_BASE_URL", "https://proxy:proxy-pw@llm.example/v1?token=tok-pw");

        String logged = PipelineSettings.read(env).toString();
        env.check();

        assertThat(logged).doesNotContain("url-pw", "ssl-pw", "kafka-pw", "trust-pw", "sk-api-key", "proxy-pw", "tok-pw")
                .contains("jdbc:postgresql://db:5433/app?sslpassword=****&sslmode=require", "security.protocol=SASL_SSL",
                        "https://proxy:****@llm.example/v1?token=****");
    }

    @Test
    void shouldMaskAPasswordInTheQueryOfAJdbcUrl() {
        DatabaseSettings db = DatabaseSettings.read(env("DATABASE_URL", "jdbc:postgresql://db/app?user=app&password=s3cret"));

        assertThat(db.jdbcUrl()).endsWith("password=s3cret");
        assertThat(db.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db/app?user=app&password=****");
    }

    @Test
    void shouldRefuseAPartitionerOtherThanTheBuiltInOne() throws Exception {
        java.nio.file.Path properties = java.nio.file.Files.createTempFile("kafka-client", ".properties");
        java.nio.file.Files.writeString(properties, "partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner\n"
                + "partitioner.ignore.keys=true\n");
        Env env = env("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "KAFKA_CLIENT_PROPERTIES", properties.toString());

        KafkaSettings.read(env);

        ConfigException refused = catchThrowableOfType(ConfigException.class, env::check);
        assertThat(refused).as("the configuration is refused").isNotNull();
        assertThat(refused.problems()).hasSize(2);
        assertThat(refused.problems().get(0)).contains("partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner");
        assertThat(refused.problems().get(1)).contains("partitioner.ignore.keys=true");
    }

    @Test
    void shouldDefaultPortAndKeepQueryOfPostgresqlUrl() {
        Env env = env("DATABASE_URL", "postgresql://db.example/app?sslmode=require");

        DatabaseSettings db = DatabaseSettings.read(env);
        env.check();

        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/app?sslmode=require");
        assertThat(db.user()).isNull();
        assertThat(db.password()).isNull();
        assertThat(db.toString()).contains("password=<none>");
    }

    @Test
    void shouldPreferExplicitCredentialsOverUrlCredentials() {
        Env env = env("DATABASE_URL", "postgres://u:secret@db/app", "DATABASE_USER", "admin", "DATABASE_PASSWORD", "other");

        DatabaseSettings db = DatabaseSettings.read(env);

        assertThat(db.user()).isEqualTo("admin");
        assertThat(db.password()).isEqualTo("other");
    }

    @Test
    void shouldPassJdbcUrlThrough() {
        Env env = env("DATABASE_URL", "jdbc:postgresql://db:5432/app?ssl=true", "DATABASE_USER", "u",
                "DATABASE_PASSWORD", "pw", "DATABASE_POOL_SIZE", "4");

        DatabaseSettings db = DatabaseSettings.read(env);
        env.check();

        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?ssl=true");
        assertThat(db.user()).isEqualTo("u");
        assertThat(db.password()).isEqualTo("pw");
        assertThat(db.poolSize()).isEqualTo(4);
    }

    @Test
    void shouldReportUnsupportedDatabaseUrlScheme() {
        Env env = env("DATABASE_URL", "mysql://db/app");

        DatabaseSettings.read(env);

        assertThatThrownBy(env::check).isInstanceOf(ConfigException.class).hasMessageContaining("DATABASE_URL");
    }

    @Test
    void shouldNotThrowWhenNothingIsWrong() {
        Env env = env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "DATABASE_URL", "jdbc:postgresql://db/app");

        PipelineSettings settings = PipelineSettings.read(env);
        env.check();

        assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.componentsFile()).isEmpty();
    }

    @Test
    void shouldCollectEveryErrorAndThrowOnceListingThemAll() {
        Env env = env("DATABASE_POOL_SIZE", "many", "SESSIONFLOW_TOPIC_PARTITIONS", "0", "SESSIONFLOW_MODEL", "gpt-4o",
                "KAFKA_GROUP_PROTOCOL", "fancy");

        PipelineSettings.read(env); // must not throw: errors are collected

        ConfigException e = catchThrowableOfType(ConfigException.class, env::check);
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(6);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("KAFKA_BOOTSTRAP_SERVERS is not set"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("DATABASE_URL is not set"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("DATABASE_POOL_SIZE='many'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("SESSIONFLOW_TOPIC_PARTITIONS=0"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("SESSIONFLOW_MODEL").contains("gpt-4o"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("KAFKA_GROUP_PROTOCOL").contains("fancy"));
        for (String problem : e.problems()) {
            assertThat(e.getMessage()).contains(problem);
        }
    }

    @Test
    void shouldReportMissingKafkaBootstrapServers() {
        Env env = env("KAFKA_BOOTSTRAP_SERVERS", "   ");

        KafkaSettings.read(env);

        assertThatThrownBy(env::check).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is not set");
    }

    @Test
    void shouldReadIntegersWithDefaultsAndRangesReportingEveryProblemTogether() {
        Env env = env("A", " 7 ", "B", "99", "E", "maybe");

        assertThat(env.integer("A", 1, 0, 10)).isEqualTo(7);
        assertThat(env.integer("B", 1, 0, 10)).isEqualTo(1);
        assertThat(env.integer("MISSING", 5, 0, 10)).isEqualTo(5);
        assertThat(env.integer("E", 3, 0, 10)).isEqualTo(3);
        ConfigException e = catchThrowableOfType(ConfigException.class, env::check);
        assertThat(e.problems()).containsExactly("B=99 is out of range [0, 10]", "E='maybe' is not a whole number");
    }

    @Test
    void shouldDefaultModelToLocal() {
        Env env = env();

        ModelSettings model = ModelSettings.read(env);
        env.check();

        assertThat(model.defaultModel()).isEqualTo("local");
        assertThat(model.openAiBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(model.openAiApiKey()).isNull();
        assertThat(model.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(model.maxRetries()).isEqualTo(2);
    }

    @Test
    void shouldDefaultModelToOpenAiModelWhenOpenAiModelIsSet() {
        Env env = env("OPENAI_MODEL", "gpt-4o-mini");

        ModelSettings model = ModelSettings.read(env);
        env.check();

        assertThat(model.defaultModel()).isEqualTo("openai:gpt-4o-mini");
    }

    @Test
    void shouldLetSessionflowModelWinOverOpenAiModel() {
        Env env = env("OPENAI_MODEL", "gpt-4o-mini", "SESSIONFLOW_MODEL", "local");

        assertThat(ModelSettings.read(env).defaultModel()).isEqualTo("local");
    }

    @Test
    void shouldReportInvalidSessionflowModel() {
        Env env = env("SESSIONFLOW_MODEL", "claude");

        ModelSettings.read(env);

        assertThatThrownBy(env::check).isInstanceOf(ConfigException.class)
                .hasMessageContaining("SESSIONFLOW_MODEL")
                .hasMessageContaining("'claude'");
    }

    @Test
    void shouldMaskApiKeyInModelSettingsToString() {
        ModelSettings model = ModelSettings.read(env("OPENAI_API_KEY", "sk-very-secret"));

        assertThat(model.openAiApiKey()).isEqualTo("sk-very-secret");
        assertThat(model.toString()).doesNotContain("sk-very-secret").contains("****");
    }

    @Test
    void shouldValidateModelSpecs() {
        assertThat(ModelSettings.isValidSpec("local")).isTrue();
        assertThat(ModelSettings.isValidSpec("openai:gpt-4o-mini")).isTrue();
        assertThat(ModelSettings.isValidSpec("openai:")).isFalse();
        assertThat(ModelSettings.isValidSpec("gpt-4o")).isFalse();
        assertThat(ModelSettings.isValidSpec(null)).isFalse();
    }
}
