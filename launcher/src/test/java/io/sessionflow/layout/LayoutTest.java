package io.sessionflow.layout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layout the tree promises, checked over the production classes of every module (the launcher's test
 * class path holds them all): services stand apart, {@code shared} is a library, SQL lives in stores.
 */
class LayoutTest {

    /** Each service module and the packages it holds. */
    private static final Map<String, List<String>> SERVICES = Map.of(
            "gateway", List.of("io.sessionflow.gateway.."),
            "run-worker", List.of("io.sessionflow.runworker.."),
            "summarizer-worker", List.of("io.sessionflow.summarizer..", "io.sessionflow.usage.."),
            "context-worker", List.of("io.sessionflow.context..", "io.sessionflow.memory.."));

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Test code published as test-jars (the embedded stack's extension and its tests) is not production code either.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.sessionflow");

    @Test
    void noServiceDependsOnAnother() {
        SERVICES.forEach((service, packages) -> {
            String[] others = SERVICES.entrySet().stream().filter(e -> !e.getKey().equals(service))
                    .flatMap(e -> e.getValue().stream()).toArray(String[]::new);
            noClasses().that().resideInAnyPackage(packages.toArray(String[]::new))
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services share code only through shared, so each deploys, scales and changes on its own")
                    .check(PRODUCTION);
        });
    }

    @Test
    void theClientDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.sessionflow.client..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.sessionflow..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("io.sessionflow.client..")))
                .because("the client is a library for callers' own programs, which must not pull in the server's modules")
                .check(PRODUCTION);
    }

    @Test
    void sharedHasNoMain() {
        methods().that().haveName("main").and().areStatic()
                .should().beDeclaredInClassesThat(DescribedPredicate.not(IN_SHARED))
                .because("shared is a library that services build on; each process starts in its own module")
                .check(PRODUCTION);
    }

    @Test
    void onlyStorePackagesUseJdbc() {
        noClasses().that().resideOutsideOfPackage("..store..")
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .because("SQL lives beside the store that owns its tables, so a schema change is found in one package")
                .check(PRODUCTION);
    }

    private static final DescribedPredicate<JavaClass> IN_SHARED = DescribedPredicate.describe("in the shared module",
            c -> c.getSource().map(source -> source.getUri().toString())
                    .filter(uri -> uri.contains("/shared/target/classes/") || uri.contains("sessionflow-shared-")).isPresent());
}
